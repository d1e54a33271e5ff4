namespace OpenCdn.Platform.Files;

/// <summary>
/// Keys, credentials and password files: created readable by the owner only (0600) in folders only the owner may enter
/// (0700), atomically (a temp file made with its final mode, then renamed), and tightened when found wider. Compiled
/// into the edge appliance too (linked source), which depends on the contracts only.
/// </summary>
public static class SecretFile
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder as 0700, or narrows an existing one to at most that.</summary>
    public static string CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path).FullName;
        }
        var folder = Directory.CreateDirectory(path, FolderMode);
        Tighten(folder.FullName, FolderMode);
        return folder.FullName;
    }

    /// <summary>Narrows an existing file to 0600 when its mode is wider; a missing file is left missing.</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Tighten(path, FileMode);
        }
    }

    /// <summary>Writes (or replaces) the file atomically with mode 0600.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = TempPath(path);
        using (var file = new FileStream(temp, Options(FileAccess.Write)))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes (or replaces) the file atomically with mode 0600, its content streamed by <paramref name="write"/>.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temp = TempPath(path);
        await using (var file = new FileStream(temp, Options(FileAccess.Write, FileOptions.Asynchronous)))
        {
            await write(file, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates the file with mode 0600 unless it exists; false when another writer (or process) made it first.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content)
    {
        var temp = TempPath(path);
        using (var file = new FileStream(temp, Options(FileAccess.Write)))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    private static string TempPath(string path) => $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";

    private static FileStreamOptions Options(FileAccess access, FileOptions options = FileOptions.None)
    {
        var stream = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = access, Share = FileShare.None, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = FileMode;
        }
        return stream;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode most)
    {
        if ((File.GetUnixFileMode(path) & ~most) != 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & most);
        }
    }
}
