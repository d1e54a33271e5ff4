using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Playback;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>
/// Origin as a playback server, the last resort in every server list: <c>/o/{token}/{titleId}/v{version}/{file}</c>,
/// the same URL shape and token scheme as an edge (with origin's own derived key), served from origin storage with byte ranges, in both run modes.
/// </summary>
public sealed class OriginPlayback(DeliveryKeyRing keys, PublicUrl publicUrl, IOptions<PlaybackOptions> options, TimeProvider time)
{
    private readonly TimeSpan _sessionLifetime = options.Value.SessionLifetime;
    private readonly Func<string, SigningKey?> _findKey = keyId => keys.Find(DeliveryAudience.Origin, keyId);

    /// <summary>
    /// The BaseURL of a package on origin (see <see cref="DeliveryUrls.Origin"/>), valid for
    /// <paramref name="lifetime"/> (at most a session's).
    /// </summary>
    public string BaseUrl(string titleId, int version, TimeSpan lifetime)
    {
        var expires = time.GetUtcNow() + (lifetime < _sessionLifetime ? lifetime : _sessionLifetime);
        return DeliveryUrls.Origin(publicUrl, DeliveryToken.Issue(keys.Current(DeliveryAudience.Origin), titleId, expires), titleId, version);
    }

    /// <summary>
    /// True when <paramref name="token"/> is an origin token for <paramref name="titleId"/>, valid now and no longer
    /// than a session.
    /// </summary>
    public bool Admits(string token, string titleId)
    {
        var now = time.GetUtcNow();
        // No token is issued for longer than a session; a minute more allows for clocks out of step.
        return DeliveryToken.Check(token, titleId, now, _findKey, out var validUntil) == TokenCheck.Valid
            && validUntil <= now + _sessionLifetime + TimeSpan.FromMinutes(1);
    }

    public static IEndpointRouteBuilder MapOriginPlayback(IEndpointRouteBuilder app)
    {
        app.MapMethods(DeliveryUrls.OriginPrefix + "/{token}/{titleId}/v{version:int}/{file}", ["GET", "HEAD"], Serve).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<ProblemHttpResult, NotFound, StatusCodeHttpResult, EmptyHttpResult, FileStreamHttpResult>> Serve(
        string token, string titleId, int version, string file, HttpContext context, OriginPlayback playback, IObjectStore origin)
    {
        if (!playback.Admits(token, titleId))
        {
            return TypedResults.Problem("The token is not valid for this title.", statusCode: StatusCodes.Status403Forbidden);
        }
        return await OriginResponder.RespondAsync(context, origin, OriginKeys.PackageFile(titleId, version, file));
    }
}
