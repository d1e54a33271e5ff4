namespace OpenCdn.Platform.Storage;

/// <summary>
/// A store that assembles one object from parts sent over time, by any process that knows the upload's id (S3
/// multipart uploads). Every part but the last must be at least <see cref="MinPartSize"/> bytes. The folder store has
/// no such thing: its writers stage on the local disk instead.
/// </summary>
public interface IMultipartObjectStore : IObjectStore
{
    /// <summary>The smallest part S3 accepts before the last one (5 MiB).</summary>
    public const int MinPartSize = 5 << 20;

    /// <summary>The most parts one object may have (S3: 10,000, numbered 1 to 10,000).</summary>
    public const int MaxPartNumber = 10_000;

    /// <summary>The configured part size, in bytes.</summary>
    int PartSize { get; }

    /// <summary>Stores a small object from memory in one request (no second buffer); returns its size.</summary>
    Task<long> PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Opens a multipart upload whose result will be <paramref name="key"/>; returns its id.</summary>
    Task<string> StartMultipartAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores one part; returns its ETag, or null when the upload no longer exists (aborted or completed).</summary>
    Task<string?> PutPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Assembles the parts, in ascending part number, into the object and verifies its size; false when the upload no
    /// longer exists (aborted, or completed before).
    /// </summary>
    Task<bool> CompleteMultipartAsync(
        string key, string uploadId, IReadOnlyList<StoredPart> parts, long expectedSize, CancellationToken cancellationToken);

    /// <summary>Throws the upload and its parts away; aborting an upload that no longer exists is not an error.</summary>
    Task AbortMultipartAsync(string key, string uploadId, CancellationToken cancellationToken);
}

/// <summary>A part of a multipart upload as stored: its number and the ETag the store answered.</summary>
public sealed record StoredPart(int Number, string ETag);
