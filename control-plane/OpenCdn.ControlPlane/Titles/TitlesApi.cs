using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Api;
using TitleStatus = OpenCdn.Catalog.Titles.TitleStatus;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.ControlPlane.Origin;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Titles;

/// <summary>The catalog API: create, list, inspect, preview and retire titles.</summary>
internal static class TitlesApi
{
    private const int MaxNameLength = 200;
    private static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(4);

    public static RouteGroupBuilder MapTitlesApi(this RouteGroupBuilder api)
    {
        var titles = api.MapGroup("/titles").WithTags("Titles");
        titles.MapPost("/", Create).RequireAuthorization(Roles.AdminPolicy);
        titles.MapGet("/", List).RequireAuthorization(Roles.ViewerPolicy);
        titles.MapGet("/{id}", Get).RequireAuthorization(Roles.ViewerPolicy);
        titles.MapDelete("/{id}", Retire).RequireAuthorization(Roles.AdminPolicy);
        titles.MapGet("/{id}/manifest.mpd", Preview).RequireAuthorization(Roles.AdminPolicy);
        // Box art is public, as on every streaming service: <img> tags cannot send a bearer token.
        titles.MapGet("/{id}/poster.jpg", Poster).AllowAnonymous();
        return api;
    }

    private static async Task<Results<Created<TitleView>, ValidationProblem>> Create(
        CreateTitleRequest request, TitleStore store, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A name of 1 to {MaxNameLength} printable characters is required."],
            });
        }
        var title = await store.CreateAsync(name, cancellationToken);
        return TypedResults.Created($"/api/v1/titles/{title.Id}", TitleViews.Of(title));
    }

    /// <summary>Admins see every title with its state and failure reason; viewers see only what they can play.</summary>
    private static async Task<Ok<List<TitleView>>> List(
        ClaimsPrincipal user, TitleStore store, PackageReader packages, CancellationToken cancellationToken)
    {
        var views = new List<TitleView>();
        foreach (var title in (await store.ListAsync(cancellationToken)).Where(t => MaySee(user, t)))
        {
            views.Add(TitleViews.Of(title, await NotesAsync(user, title, packages, cancellationToken)));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<TitleView>, NotFound>> Get(
        string id, ClaimsPrincipal user, TitleStore store, PackageReader packages, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } title && MaySee(user, title)
            ? TypedResults.Ok(TitleViews.Of(title, await NotesAsync(user, title, packages, cancellationToken)))
            : TypedResults.NotFound();

    /// <summary>What the ready package of the title left out (bitmap subtitles), for admins: read from its package.json.</summary>
    private static async Task<IReadOnlyList<string>?> NotesAsync(
        ClaimsPrincipal user, Title title, PackageReader packages, CancellationToken cancellationToken) =>
        title.Status == TitleStatus.Ready && user.IsInRole(Roles.Admin)
            ? (await packages.ReadAsync(title.Id, title.PackageVersion, cancellationToken))?.Notes
            : null;

    private static bool MaySee(ClaimsPrincipal user, Title title) => title.Status == TitleStatus.Ready || user.IsInRole(Roles.Admin);

    /// <summary>
    /// Retires a title: out of the catalog, steering and fill plans now; out of origin once no edge holds it (see
    /// <see cref="FleetSync"/>).
    /// </summary>
    private static async Task<Results<NoContent, NotFound>> Retire(string id, TitleStore store, FleetSync fleet, CancellationToken cancellationToken)
    {
        if (!await store.RetireAsync(id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        fleet.Retired(id);
        return TypedResults.NoContent();
    }

    /// <summary>The title's MPD with origin as its only server: what admins use to check a package before edges hold it.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Preview(
        string id, TitleStore store, PackageReader packages, OriginPlayback origin, CancellationToken cancellationToken)
    {
        var title = await store.GetAsync(id, cancellationToken);
        if (title is not { Status: TitleStatus.Ready })
        {
            return TypedResults.Problem($"Title '{id}' has no ready package.", statusCode: StatusCodes.Status404NotFound);
        }
        var package = await packages.ReadAsync(id, title.PackageVersion, cancellationToken);
        if (package is null)
        {
            return TypedResults.Problem($"Title '{id}' is ready, but origin does not hold its package.", statusCode: StatusCodes.Status404NotFound);
        }
        var server = new MpdServer("origin", origin.BaseUrl(id, title.PackageVersion, PreviewLifetime), Priority: 1, Weight: 1);
        return TypedResults.Content(MpdRenderer.Render(package, [server]), "application/dash+xml");
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> Poster(
        string id, TitleStore store, IObjectStore origin, CancellationToken cancellationToken)
    {
        var title = await store.GetAsync(id, cancellationToken);
        if (title is null || title.PackageVersion == 0)
        {
            return TypedResults.NotFound();
        }
        var poster = await origin.GetAsync(OriginKeys.PackageFile(id, title.PackageVersion, "poster.jpg"), null, cancellationToken);
        return poster is null
            ? TypedResults.NotFound()
            : TypedResults.Stream(poster.Body, "image/jpeg", lastModified: poster.Info.LastModified,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(poster.Info.ETag));
    }
}
