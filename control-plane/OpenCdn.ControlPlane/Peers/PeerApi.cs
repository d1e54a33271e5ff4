using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Packages;
using OpenCdn.Contracts.Peers;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.ControlPlane.Playback;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// Peer-assisted delivery: a session's player reads its peer settings and the package's segment hashes, then joins the
/// signalling socket with its session id as the credential and is introduced to viewers of the same title, version and
/// client network.
/// </summary>
internal static class PeerApi
{
    public static RouteGroupBuilder MapPeersApi(this RouteGroupBuilder api)
    {
        // The session id is the capability, as for the manifest.
        api.MapGet("/peers/{sessionId}", Config).AllowAnonymous().WithTags("Peers");
        api.MapGet("/peers/{sessionId}/signal", SignalAsync).AllowAnonymous().WithTags("Peers");
        api.MapGet("/stats/peers", (PeerTotals totals, Swarms swarms) => TypedResults.Ok(totals.View(swarms.Count)))
            .RequireAuthorization(Roles.AdminPolicy).WithTags("Peers");
        return api;
    }

    private static async Task<Results<Ok<PeerConfig>, ProblemHttpResult>> Config(
        string sessionId, SessionCodec sessions, PackageReader packages, PublicUrl publicUrl, IOptions<PeerOptions> options,
        CancellationToken cancellationToken)
    {
        var session = sessions.Decode(sessionId);
        if (Refusal(session, options.Value) is { } refusal)
        {
            return refusal;
        }
        if (await packages.ReadAsync(session!.TitleId, session.Version, cancellationToken) is not { } package)
        {
            return TypedResults.Problem("The session's title is no longer available; start a new session.", statusCode: StatusCodes.Status410Gone);
        }
        var o = options.Value;
        var segments = package.Representations.Where(r => r.Segments is { Count: > 0 })
            .ToDictionary(r => r.File, IReadOnlyList<SegmentHash> (r) => r.Segments!, StringComparer.Ordinal);
        var signal = new UriBuilder(publicUrl.Resolve($"/api/v1/peers/{sessionId}/signal"));
        signal.Scheme = signal.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return TypedResults.Ok(new PeerConfig(signal.Uri, o.MaxPeers, o.UploadBytesPerSecond, o.MinUploadBufferSeconds,
            o.PeerTimeout.TotalSeconds, o.IceServers, segments));
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> SignalAsync(
        string sessionId, HttpContext context, SessionCodec sessions, Swarms swarms, PeerNetworks networks, IOptions<PeerOptions> options,
        TimeProvider time, ILoggerFactory loggers)
    {
        var session = sessions.Decode(sessionId);
        if (Refusal(session, options.Value) is { } refusal)
        {
            return refusal;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(
                "This is a WebSocket endpoint: connect with an upgrade request.", statusCode: StatusCodes.Status400BadRequest);
        }
        // A swarm is one title, one package version and one client network; a viewer in no known network joins none.
        var network = context.Connection.RemoteIpAddress is { } address ? networks.NetworkOf(address) : null;
        var swarm = network is null ? null : $"{session!.TitleId}/v{session.Version}/{network}";
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var member = swarms.Join(sessionId, swarm, out var introduced);
        PeerMetrics.Joined();
        try
        {
            var connection = new SignalConnection(socket, member, swarms, time, loggers.CreateLogger(typeof(PeerApi).FullName!));
            await connection.RunAsync(introduced, context.RequestAborted);
        }
        finally
        {
            PeerMetrics.Left();
        }
        return TypedResults.Empty;
    }

    private static ProblemHttpResult? Refusal(PlaybackSession? session, PeerOptions options) =>
        !options.Enabled
            ? TypedResults.Problem("Peer-assisted delivery is off in this deployment.", statusCode: StatusCodes.Status404NotFound)
            : session is null
                ? TypedResults.Problem("The playback session is unknown or has expired; start a new session.",
                    statusCode: StatusCodes.Status404NotFound)
                : null;
}
