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
/// catalogued, verified files, with RFC 9110 ranges and preconditions as ASP.NET Core's file results implement them.
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

    internal static Results<FileStreamHttpResult, NotFound, ProblemHttpResult> GetContent(
        HttpContext context, string token, string titleId, string version, string file,
        VerifiedTokens tokens, ContentCatalog catalog, EdgeMetrics metrics, IOptions<EdgeOptions> options)
    {
        if (!TryParse(titleId, version, file, out var key))
        {
            return BadPath();
        }
        var check = tokens.Check(token, titleId);
        if (check != TokenCheck.Valid)
        {
            metrics.TokenRejected("content", check);
            return Forbidden();
        }
        return Serve(context, key, catalog, options.Value.CacheMaxAgeSeconds);
    }

    internal static Results<FileStreamHttpResult, NotFound, ProblemHttpResult> GetPeerContent(
        HttpContext context, string titleId, string version, string file,
        KeyRing keys, ContentCatalog catalog, TimeProvider time, EdgeMetrics metrics, IOptions<EdgeOptions> options)
    {
        if (!TryParse(titleId, version, file, out var key))
        {
            return BadPath();
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var check = PeerToken.Check(token, titleId, time.GetUtcNow(), keys.FindKey);
        if (check != TokenCheck.Valid)
        {
            metrics.TokenRejected("peer", check);
            return Forbidden();
        }
        return Serve(context, key, catalog, options.Value.CacheMaxAgeSeconds);
    }

    private static Results<FileStreamHttpResult, NotFound, ProblemHttpResult> Serve(
        HttpContext context, ContentKey key, ContentCatalog catalog, int maxAge)
    {
        if (!catalog.TryGet(key, out var stored))
        {
            return TypedResults.NotFound();
        }
        FileStream stream;
        try
        {
            // Opened before answering: an eviction that deletes the file now leaves this response its handle.
            stream = new FileStream(
                key.PathUnder(catalog.ContentRoot), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return TypedResults.NotFound(); // evicted or quarantined between lookup and open
        }
        IgnoreForeignRangeUnit(context.Request);
        context.Response.Headers.CacheControl = CacheControl(maxAge);
        return TypedResults.Stream(
            stream, stored.ContentType, lastModified: stored.VerifiedAt, entityTag: stored.EntityTag, enableRangeProcessing: true);
    }

    /// <summary>
    /// RFC 9110 §14.2: a server MUST ignore a Range whose unit it does not understand. ASP.NET Core's range helper reads
    /// <c>items=0-1</c> as bytes, so such a header is dropped before the file result sees it.
    /// </summary>
    private static void IgnoreForeignRangeUnit(HttpRequest request)
    {
        var range = request.Headers.Range;
        if (range.Count > 0 && !(range.ToString().TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Range);
        }
    }

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

    internal static string CacheControl(int maxAge) => maxAge == 31_536_000
        ? "public, max-age=31536000, immutable"
        : $"public, max-age={maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture)}, immutable";

    private static ProblemHttpResult BadPath() =>
        TypedResults.Problem("Not a content path: /c/{token}/{titleId}/v{version}/{file}.", statusCode: StatusCodes.Status400BadRequest);

    // Says nothing about why: no key ids, no expiry, no hint whether the signature or the scope was wrong.
    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("The token does not grant this content.", statusCode: StatusCodes.Status403Forbidden);
}
