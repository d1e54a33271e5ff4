using Microsoft.AspNetCore.Http.HttpResults;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>
/// Embedded mode's stand-in for presigned S3 URLs: <c>GET</c>/<c>HEAD /origin/{key}?expires=&amp;signature=</c> serves an origin
/// object, with byte ranges, to whoever holds a URL the store signed (edges filling, players falling back to origin).
/// </summary>
internal static class OriginEndpoint
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/origin/{**key}", [HttpMethods.Get, HttpMethods.Head], GetAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<ProblemHttpResult, NotFound, StatusCodeHttpResult, EmptyHttpResult, FileStreamHttpResult>> GetAsync(
        string key, string? expires, string? signature, HttpContext context, IObjectStore store, OriginUrlSigner signer)
    {
        if (!ObjectKey.IsValid(key) || !signer.IsValid(key, expires, signature))
        {
            return TypedResults.Problem(
                "The origin URL is missing its signature, expired or not valid for this object.", statusCode: StatusCodes.Status403Forbidden);
        }
        return await OriginResponder.RespondAsync(context, store, key);
    }
}
