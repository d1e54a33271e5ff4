using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// <c>GET|HEAD /c/{token}/{titleId}/v{version}/{file}</c> for players (delivery token in the path) and
/// <c>GET|HEAD /peer/{titleId}/v{version}/{file}</c> for other edges filling (peer token as the bearer). Both serve only
/// catalogued, verified files, with RFC 9110 ranges and preconditions (<see cref="ContentFileResult"/>).
/// </summary>
internal static class ContentEndpoints
{
    public const string CorsPolicy = "content";
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapContentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/c/{token}/{titleId}/v{version}/{file}", Methods, GetContent)
            .WithMetadata(new ServingRoute("content"))
            .RequireCors(CorsPolicy)
            .ExcludeFromDescription();
        app.MapMethods("/peer/{titleId}/v{version}/{file}", Methods, GetPeerContent)
            .WithMetadata(new ServingRoute("peer"))
            .ExcludeFromDescription();
        return app;
    }

    internal static Results<ContentFileResult, NotFound, ProblemHttpResult> GetContent(
        string token, string titleId, string version, string file,
        KeyRing keys, ContentCatalog catalog, TimeProvider time, EdgeMetrics metrics, IOptions<EdgeOptions> options)
    {
        if (!TryParse(titleId, version, file, out var key))
        {
            return BadPath();
        }
        var check = DeliveryToken.Check(token, titleId, time.GetUtcNow(), keys.FindSecret);
        if (check != TokenCheck.Valid)
        {
            metrics.TokenRejected("content", check);
            return Forbidden();
        }
        return Serve(key, catalog, CacheControl(options.Value.CacheMaxAgeSeconds));
    }

    internal static Results<ContentFileResult, NotFound, ProblemHttpResult> GetPeerContent(
        HttpContext context, string titleId, string version, string file,
        KeyRing keys, ContentCatalog catalog, TimeProvider time, EdgeMetrics metrics, IOptions<EdgeOptions> options)
    {
        if (!TryParse(titleId, version, file, out var key))
        {
            return BadPath();
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var check = PeerToken.Check(token, titleId, time.GetUtcNow(), keys.FindSecret);
        if (check != TokenCheck.Valid)
        {
            metrics.TokenRejected("peer", check);
            return Forbidden();
        }
        return Serve(key, catalog, CacheControl(options.Value.CacheMaxAgeSeconds));
    }

    private static Results<ContentFileResult, NotFound, ProblemHttpResult> Serve(ContentKey key, ContentCatalog catalog, string cacheControl) =>
        catalog.TryGet(key, out var stored)
            ? new ContentFileResult(stored, key.PathUnder(catalog.ContentRoot), cacheControl)
            : TypedResults.NotFound();

    private static bool TryParse(string titleId, string version, string file, out ContentKey key)
    {
        key = default;
        if (!ContentNames.IsTitleId(titleId) || !ContentNames.IsFileName(file) || !ContentNames.TryParseVersion(version, out var parsed))
        {
            return false;
        }
        key = new ContentKey(titleId, parsed, file);
        return true;
    }

    private static string CacheControl(int maxAge) => maxAge == 31_536_000
        ? "public, max-age=31536000, immutable"
        : $"public, max-age={maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture)}, immutable";

    private static ProblemHttpResult BadPath() =>
        TypedResults.Problem("Not a content path: /c/{token}/{titleId}/v{version}/{file}.", statusCode: StatusCodes.Status400BadRequest);

    // Says nothing about why: no key ids, no expiry, no hint whether the signature or the scope was wrong.
    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("The token does not grant this content.", statusCode: StatusCodes.Status403Forbidden);
}
