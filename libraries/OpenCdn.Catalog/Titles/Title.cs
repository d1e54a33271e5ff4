namespace OpenCdn.Catalog.Titles;

/// <summary>
/// The life of a title: <c>created → uploading → queued → transcoding (progress %) → ready | failed (reason)</c>;
/// a retired title is gone from the catalog and, once no edge plans it, from origin.
/// </summary>
public enum TitleStatus
{
    Created,
    Uploading,
    Queued,
    Transcoding,
    Ready,
    Failed,
    Retired,
}

/// <summary>A title as the catalog holds it. <see cref="PackageVersion"/> is 0 until a package has been published.</summary>
public sealed record Title(
    string Id,
    string Name,
    TitleStatus Status,
    int Progress,
    string? FailureReason,
    int PackageVersion,
    string? MasterKey,
    long? MasterSize,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
