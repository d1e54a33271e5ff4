using System.Text.Json.Serialization;

namespace OpenCdn.Contracts.Api;

/// <summary>The body of <c>POST /api/v1/titles</c>.</summary>
public sealed record CreateTitleRequest(string? Name);

/// <summary>
/// A title as <c>/api/v1/titles</c> shows it. <see cref="Notes"/> (admins only) say what its package left out of the master,
/// such as bitmap subtitles.
/// </summary>
public sealed record TitleView(
    string Id,
    string Name,
    TitleStatus Status,
    int Progress,
    string? FailureReason,
    int PackageVersion,
    string UploadUrl,
    string? PosterUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>Ready or failed: nothing more will happen to it without a new upload.</summary>
    [JsonIgnore]
    public bool IsSettled => Status is TitleStatus.Ready or TitleStatus.Failed;

    /// <summary>Whether the server holds a complete master for it (so an upload for it is not pending).</summary>
    [JsonIgnore]
    public bool HasMaster => Status is TitleStatus.Queued or TitleStatus.Transcoding or TitleStatus.Ready or TitleStatus.Failed;
}

/// <summary>Where a title is on its way to playback, as the API spells it (the catalog keeps its own).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TitleStatus>))]
public enum TitleStatus
{
    [JsonStringEnumMemberName("created")]
    Created,
    [JsonStringEnumMemberName("uploading")]
    Uploading,
    [JsonStringEnumMemberName("queued")]
    Queued,
    [JsonStringEnumMemberName("transcoding")]
    Transcoding,
    [JsonStringEnumMemberName("ready")]
    Ready,
    [JsonStringEnumMemberName("failed")]
    Failed,
    [JsonStringEnumMemberName("retired")]
    Retired,
}
