namespace OpenCdn.Cli.Api;

/// <summary>A title as <c>GET /api/v1/titles/{id}</c> returns it.</summary>
internal sealed record TitleResource(
    string Id,
    string Name,
    string Status,
    int Progress,
    string? FailureReason,
    int PackageVersion,
    string UploadUrl,
    string? PosterUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Created = "created";
    public const string Uploading = "uploading";
    public const string Queued = "queued";
    public const string Transcoding = "transcoding";
    public const string Ready = "ready";
    public const string Failed = "failed";

    /// <summary>Ready or failed: nothing more will happen to it without a new upload.</summary>
    public bool IsSettled => Status is Ready or Failed;

    /// <summary>Whether the server holds a complete master for it (so an upload for it is not pending).</summary>
    public bool HasMaster => Status is Queued or Transcoding or Ready or Failed;
}
