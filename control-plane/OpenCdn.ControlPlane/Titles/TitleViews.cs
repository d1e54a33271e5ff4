using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Api;
using WireStatus = OpenCdn.Contracts.Api.TitleStatus;

namespace OpenCdn.ControlPlane.Titles;

/// <summary>A catalog title as the API shows it (<see cref="TitleView"/>): the catalog's own status never goes on the wire.</summary>
internal static class TitleViews
{
    public static TitleView Of(Title t, IReadOnlyList<string>? notes = null) => new(
        t.Id, t.Name, StatusOf(t.Status), t.Progress, t.FailureReason, t.PackageVersion, $"/api/v1/titles/{t.Id}/upload",
        t.PackageVersion > 0 ? $"/api/v1/titles/{t.Id}/poster.jpg" : null, t.CreatedAt, t.UpdatedAt, notes);

    private static WireStatus StatusOf(Catalog.Titles.TitleStatus status) => status switch
    {
        Catalog.Titles.TitleStatus.Created => WireStatus.Created,
        Catalog.Titles.TitleStatus.Uploading => WireStatus.Uploading,
        Catalog.Titles.TitleStatus.Queued => WireStatus.Queued,
        Catalog.Titles.TitleStatus.Transcoding => WireStatus.Transcoding,
        Catalog.Titles.TitleStatus.Ready => WireStatus.Ready,
        Catalog.Titles.TitleStatus.Failed => WireStatus.Failed,
        _ => WireStatus.Retired,
    };
}
