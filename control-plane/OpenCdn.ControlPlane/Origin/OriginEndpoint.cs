using Microsoft.AspNetCore.Http.HttpResults;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>
/// Embedded mode's stand-in for presigned S3 URLs: <c>GET /origin/{key}?expires=&amp;signature=</c> serves an origin
/// object, with byte ranges, to whoever holds a URL the store signed (edges filling, players falling back to origin).
/// </summary>
internal static class OriginEndpoint
{
    public static IEndpointRouteBuilder MapOriginEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/origin/{**key}", GetAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, NotFound, ProblemHttpResult>> GetAsync(
        string key, long? expires, string? signature, IObjectStore store, OriginUrlSigner signer, CancellationToken cancellationToken)
    {
        if (expires is null || !ObjectKey.IsValid(key) || !signer.IsValid(key, expires.Value, signature))
        {
            return TypedResults.Problem("The origin URL is missing its signature, expired or not valid for this object.", statusCode: StatusCodes.Status403Forbidden);
        }
        var content = await store.GetAsync(key, range: null, cancellationToken);
        if (content is null)
        {
            return TypedResults.NotFound();
        }
        var info = content.Info;
        return TypedResults.Stream(content.Body, ContentTypes.Of(key), lastModified: info.LastModified,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(info.ETag), enableRangeProcessing: true);
    }
}
