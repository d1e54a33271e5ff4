namespace OpenCdn.Platform.Storage;

/// <summary>
/// Origin storage: masters, renditions and packages. Bodies stream in and out; nothing holds a whole object in memory.
/// Keys are validated by <see cref="ObjectKey"/> in every implementation.
/// </summary>
public interface IObjectStore
{
    /// <summary>Streams <paramref name="content"/> into <paramref name="key"/>, replacing it atomically, then verifies what was stored.</summary>
    Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the object, or the given byte range of it; null when the key does not exist.</summary>
    Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>Size, checksum (ETag) and time of the object; null when the key does not exist.</summary>
    Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Removes the object; removing a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>A URL that lets a holder without credentials (an edge) download the object until it expires.</summary>
    Uri GetDownloadUrl(string key, TimeSpan lifetime);
}
