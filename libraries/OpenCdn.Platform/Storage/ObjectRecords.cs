namespace OpenCdn.Platform.Storage;

/// <summary>What a put stored: its size and SHA-256 as computed from the bytes streamed in.</summary>
public sealed record StoredObject(string Key, long Size, string Sha256);

/// <summary>What a head or a list tells of an object. <see cref="ETag"/> changes whenever the content does.</summary>
public sealed record ObjectInfo(string Key, long Size, string ETag, DateTimeOffset LastModified);

/// <summary>An open object (or part of it). Dispose it to release the file handle or connection.</summary>
public sealed class ObjectContent(ObjectInfo info, Stream body, ByteRange? range) : IAsyncDisposable, IDisposable
{
    public ObjectInfo Info { get; } = info;

    public Stream Body { get; } = body;

    /// <summary>The range actually returned, clamped to the object's size; null for the whole object.</summary>
    public ByteRange? Range { get; } = range;

    public ValueTask DisposeAsync() => Body.DisposeAsync();

    public void Dispose() => Body.Dispose();
}
