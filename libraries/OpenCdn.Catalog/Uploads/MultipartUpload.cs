namespace OpenCdn.Catalog.Uploads;

/// <summary>
/// Where an upload stands in an object store's multipart upload: <see cref="Offset"/> bytes are kept, as the parts
/// recorded for it (all <see cref="PartSize"/> bytes long) followed by a tail object (<see cref="TailKey"/>, fewer than
/// <see cref="PartSize"/> bytes) that the next part will start with.
/// </summary>
public sealed record MultipartUpload(
    string UploadId, string ObjectKey, string MultipartId, int PartSize, long Offset, int PartNumbersUsed, string? TailKey, int TailLength);

/// <summary>A part as recorded once its bytes were stored.</summary>
public sealed record MultipartPart(int Number, string ETag, long Size);

/// <summary>
/// What one step of an append commits: the offset it started from (the version it read), the offset it leaves, the
/// part it stored (if it filled one) and the tail that now holds the bytes past the last part (null: none).
/// </summary>
public sealed record MultipartStep(long FromOffset, long ToOffset, MultipartPart? Part, string? TailKey, int TailLength);
