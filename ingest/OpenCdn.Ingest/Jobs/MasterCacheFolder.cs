namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Where this worker process keeps its cached masters: <c>{WorkFolder}/_masters/{random}</c>, with a lock file held open
/// for the process's life. Several workers may share one work folder; at start each removes the folders of processes that
/// are gone (their lock file can be taken), never a live one's.
/// </summary>
internal sealed class MasterCacheFolder : IDisposable
{
    private const string LockFile = ".lock";
    private readonly FileStream _lock;

    public MasterCacheFolder(WorkFolder work)
    {
        var root = Directory.CreateDirectory(Path.Combine(work.Root, "_masters")).FullName;
        foreach (var stale in Directory.EnumerateDirectories(root))
        {
            TryRemoveAbandoned(stale);
        }
        Root = Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;
        _lock = new FileStream(Path.Combine(Root, LockFile), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    public string Root { get; }

    /// <summary>The folder of one cache entry (a hex id).</summary>
    public string EntryPath(string id) =>
        id.All(char.IsAsciiHexDigitLower) ? Path.Combine(Root, id) : throw new ArgumentException("Not a cache id.", nameof(id));

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        Delete(Root);
    }

    private static void TryRemoveAbandoned(string folder)
    {
        try
        {
            // FileShare.None is an advisory lock on Unix: it opens only when no live process holds the folder's lock file.
            using (new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
            }
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A live worker's folder (or one going away right now).
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
