using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace OpenCdn.Platform.Storage;

/// <summary>
/// Origin storage in a folder: objects under <c>{root}/objects</c>, writes staged in <c>{root}/staging</c> and renamed
/// into place once flushed to disk, so a reader sees the old object or the new one, never half of one.
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const int CopyBufferSize = 1 << 20;
    private readonly string _objects;
    private readonly string _staging;
    private readonly Lazy<OriginUrlSigner> _signer;

    /// <summary>A store in <paramref name="root"/>; <paramref name="signer"/> is asked for on the first download URL only.</summary>
    public FileSystemObjectStore(string root, Func<OriginUrlSigner> signer)
    {
        var full = Path.GetFullPath(root);
        _objects = Path.Combine(full, "objects") + Path.DirectorySeparatorChar;
        _staging = Path.Combine(full, "staging");
        _signer = new Lazy<OriginUrlSigner>(signer, LazyThreadSafetyMode.PublicationOnly); // a failure is not kept: asked again next time
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_staging);
    }

    public async Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var staged = Path.Combine(_staging, $"{Guid.NewGuid():N}.part");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
                file.Flush(flushToDisk: true);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(staged, path, overwrite: true);
            return new StoredObject(key, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(staged);
        }
    }

    public Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            file = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<ObjectContent?>(null);
        }
        var info = InfoOf(key, new FileInfo(path)) with { Size = file.Length };
        if (range is null)
        {
            return Task.FromResult<ObjectContent?>(new ObjectContent(info, file, null));
        }
        if (range.Value.ClampTo(info.Size) is not { } clamped)
        {
            file.Dispose();
            throw new ArgumentOutOfRangeException(
                nameof(range), $"Range {range.Value.From}-{range.Value.To} is outside '{key}' ({info.Size} bytes).");
        }
        file.Position = clamped.From;
        return Task.FromResult<ObjectContent?>(new ObjectContent(info, new RangeReadStream(file, clamped.Length), clamped));
    }

    public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? InfoOf(key, file) : null);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKey.ValidatePrefix(prefix);
        var folder = Path.Combine(_objects, prefix[..(prefix.LastIndexOf('/') + 1)]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var found = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => (Key: path[_objects.Length..].Replace(Path.DirectorySeparatorChar, '/'), Path: path))
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal);
        foreach (var (key, path) in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = new FileInfo(path);
            if (file.Exists)
            {
                yield return InfoOf(key, file);
            }
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Uri GetDownloadUrl(string key, TimeSpan lifetime) => _signer.Value.Sign(key, lifetime);

    private string PathOf(string key)
    {
        ObjectKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_objects, key));
        // Defence in depth: ObjectKey already forbids every way out of the root.
        return path.StartsWith(_objects, StringComparison.Ordinal)
            ? path
            : throw new InvalidObjectKeyException(key, "it resolves outside the store");
    }

    private static ObjectInfo InfoOf(string key, FileInfo file)
    {
        var modified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        return new ObjectInfo(key, file.Length, $"\"{file.Length:x}-{modified.UtcTicks:x}\"", modified);
    }
}
