using OpenCdn.Catalog.Titles;

namespace OpenCdn.ControlPlane.Titles;

/// <summary>A title as the API shows it.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static TitleView Of(Title t) => new(
        t.Id, t.Name, t.Status, t.Progress, t.FailureReason, t.PackageVersion, $"/api/v1/titles/{t.Id}/upload",
        t.PackageVersion > 0 ? $"/api/v1/titles/{t.Id}/poster.jpg" : null, t.CreatedAt, t.UpdatedAt);
}
