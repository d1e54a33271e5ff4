using System.Collections.Immutable;

namespace OpenCdn.Edge.Content;

/// <summary>
/// The verified files the edge may serve: an immutable snapshot read without locks on the serving path, and
/// <c>catalog.json</c> in the data folder. A file enters only by <see cref="CommitAsync"/> (atomic rename of a verified
/// download); serving looks names up here, never in the file system, so nothing else on disk is reachable. Each entry
/// carries the read handle responses share (<see cref="ServableFile"/>), closed when the entry is replaced or removed.
/// </summary>
internal sealed partial class ContentCatalog : IDisposable
{
    private readonly DataPaths _paths;
    private readonly ILogger<ContentCatalog> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    /// <summary>Read handles kept open across all files; past it a response opens its own.</summary>
    private const int MaxOpenFiles = 4096;

    private readonly OpenFileBudget _openFiles = new(MaxOpenFiles);
    private ImmutableDictionary<ContentKey, ServableFile> _files;

    public ContentCatalog(DataPaths paths, ILogger<ContentCatalog> logger)
    {
        _paths = paths;
        _logger = logger;
        _files = Load();
    }

    public string ContentRoot => _paths.Content;

    public IReadOnlyCollection<StoredFile> Files => _files.Values.Select(f => f.Stored).ToList();

    public long TotalBytes => _files.Values.Sum(f => f.Length);

    /// <summary>Read handles currently kept open for serving.</summary>
    public int OpenFiles => _openFiles.Open;

    public bool TryGet(ContentKey key, out StoredFile file)
    {
        var found = _files.TryGetValue(key, out var servable);
        file = servable?.Stored!;
        return found;
    }

    /// <summary>The entry the serving path reads: headers precomputed, the shared read handle.</summary>
    public bool TryGetServable(ContentKey key, out ServableFile file) => _files.TryGetValue(key, out file!);

    public bool Contains(ContentKey key) => _files.ContainsKey(key);

    /// <summary>Makes a verified download servable: renames it into the content tree, then records it.</summary>
    public async Task CommitAsync(
        ContentKey key, string verifiedPath, long size, string sha256, DateTimeOffset verifiedAt, CancellationToken cancellationToken)
    {
        var target = key.PathUnder(_paths.Content);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // A replaced file's handle closes before the rename, so no response reads the new bytes under the old entry.
            if (_files.TryGetValue(key, out var replaced))
            {
                replaced.Close();
            }
            File.Move(verifiedPath, target, overwrite: true);
            _files = _files.SetItem(key, Servable(new StoredFile(key, size, sha256, verifiedAt)));
            await SaveAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
        Log.Committed(_logger, key.TitleId, key.Version, key.File, size);
    }

    /// <summary>Stops serving a file, then deletes it, or moves it to <paramref name="moveTo"/> (quarantine).</summary>
    public async Task RemoveAsync(ContentKey key, string? moveTo, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var removed = _files.GetValueOrDefault(key);
            _files = _files.Remove(key);
            removed?.Close(); // responses still streaming it stop at their next read
            await SaveAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
        var path = key.PathUnder(_paths.Content);
        if (!File.Exists(path))
        {
            return;
        }
        if (moveTo is null)
        {
            File.Delete(path); // a response already streaming keeps its open handle
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(moveTo)!);
            File.Move(path, moveTo, overwrite: true);
        }
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Close();
        }
        _writeGate.Dispose();
    }

    private Task SaveAsync(CancellationToken cancellationToken)
    {
        var entries = _files.Values
            .Select(f => f.Stored)
            .Select(f => new CatalogEntry(f.Key.TitleId, f.Key.Version, f.Key.File, f.Size, f.Sha256, f.VerifiedAt))
            .OrderBy(e => e.TitleId, StringComparer.Ordinal).ThenBy(e => e.Version).ThenBy(e => e.File, StringComparer.Ordinal)
            .ToList();
        return JsonFile.WriteAsync(_paths.Catalog, entries, EdgeJson.Default.ListCatalogEntry, cancellationToken);
    }

    /// <summary>
    /// Reads the catalog; drops entries whose file is gone or has the wrong size, and moves files nobody recorded (a crash
    /// between rename and save) back to the partial tree, where the fill agent verifies them again before use.
    /// </summary>
    private ServableFile Servable(StoredFile stored) => new(stored, stored.Key.PathUnder(_paths.Content), _openFiles);

    private ImmutableDictionary<ContentKey, ServableFile> Load()
    {
        var builder = ImmutableDictionary.CreateBuilder<ContentKey, ServableFile>();
        foreach (var entry in JsonFile.Read(_paths.Catalog, EdgeJson.Default.ListCatalogEntry) ?? [])
        {
            var key = new ContentKey(entry.TitleId, entry.Version, entry.File);
            var path = key.IsValid ? key.PathUnder(_paths.Content) : null;
            if (path is not null && File.Exists(path) && new FileInfo(path).Length == entry.Size)
            {
                builder[key] = Servable(new StoredFile(key, entry.Size, entry.Sha256, entry.VerifiedAt));
            }
        }
        foreach (var path in Directory.EnumerateFiles(_paths.Content, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_paths.Content, path).Split(Path.DirectorySeparatorChar);
            var known = relative.Length == 3 && ContentNames.TryParseVersion(relative[1].TrimStart('v'), out var version)
                && builder.ContainsKey(new ContentKey(relative[0], version, relative[2]));
            if (!known)
            {
                var target = Path.Combine(_paths.Partial, Path.GetRelativePath(_paths.Content, path));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(path, target, overwrite: true);
                Log.Unrecorded(_logger, path);
            }
        }
        return builder.ToImmutable();
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Serving {TitleId} v{Version} {File} ({Size} bytes), verified")]
        public static partial void Committed(ILogger logger, string titleId, int version, string file, long size);

        [LoggerMessage(101, LogLevel.Warning, "{Path} was in the content tree without a catalog entry; it goes back to partial for verification")]
        public static partial void Unrecorded(ILogger logger, string path);
    }
}
