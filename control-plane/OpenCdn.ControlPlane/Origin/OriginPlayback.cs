using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Contracts.Packages;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>
/// Origin as a playback server, the last resort in every server list: <c>/o/{token}/{titleId}/v{version}/{file}</c>,
/// the same URL shape and token as an edge, served from origin storage with byte ranges, in both run modes.
/// </summary>
public sealed class OriginPlayback(DeliveryKeyRing keys, TimeProvider time)
{
    /// <summary>The BaseURL of a package on origin (see <see cref="DeliveryUrls.Origin"/>), valid for <paramref name="lifetime"/>.</summary>
    public string BaseUrl(HttpRequest request, string titleId, int version, TimeSpan lifetime) =>
        DeliveryUrls.Origin(request, DeliveryToken.Issue(keys.Current, titleId, time.GetUtcNow() + lifetime), titleId, version);

    public static IEndpointRouteBuilder MapOriginPlayback(IEndpointRouteBuilder app)
    {
        app.MapMethods(DeliveryUrls.OriginPrefix + "/{token}/{titleId}/v{version:int}/{file}", ["GET", "HEAD"], Serve).ExcludeFromDescription();
        return app;
    }

    private static Task<IResult> Serve(
        string token, string titleId, int version, string file, HttpContext context, DeliveryKeyRing keys, IObjectStore origin, TimeProvider time)
    {
        if (DeliveryToken.Check(token, titleId, time.GetUtcNow(), keys.Find) != TokenCheck.Valid)
        {
            return Task.FromResult<IResult>(TypedResults.Problem("The token is not valid for this title.", statusCode: StatusCodes.Status403Forbidden));
        }
        var key = $"{PackageManifest.Folder(titleId, version)}/{file}";
        return OriginResponder.RespondAsync(context, origin, key);
    }
}
