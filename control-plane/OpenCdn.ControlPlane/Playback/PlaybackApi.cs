using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.ControlPlane.RateLimits;
using OpenCdn.ControlPlane.Stats;
using OpenCdn.Steering.Decisions;

namespace OpenCdn.ControlPlane.Playback;

/// <summary>
/// Steering without DNS: a viewer asks to play a title and is handed ranked servers and a per-session manifest; the
/// player then re-asks the steering server while it plays, and moves off servers that died or filled up.
/// </summary>
internal static class PlaybackApi
{
    public static RouteGroupBuilder MapPlaybackApi(this RouteGroupBuilder api)
    {
        api.MapPost("/playback/{titleId}", Start).RequireAuthorization(Roles.ViewerPolicy).LimitPlaybackStarts().WithTags("Playback");
        // The session id is the capability: players fetch these without the viewer's bearer token.
        api.MapGet("/playback/{sessionId}/manifest.mpd", Manifest).AllowAnonymous().WithTags("Playback");
        api.MapGet("/steering/{sessionId}", Steer).AllowAnonymous().WithTags("Playback");
        api.MapGet("/stats/steering", Stats).RequireAuthorization(Roles.AdminPolicy).WithTags("Playback");
        return api;
    }

    public sealed record PlaybackServer(string Id, string Name, string BaseUrl, int Priority, int Weight, string Reason);

    public sealed record PlaybackResponse(
        string SessionId, string TitleId, int Version, IReadOnlyList<PlaybackServer> Servers, Uri ManifestUrl, Uri SteeringUrl,
        DateTimeOffset ExpiresAt);

    private static Results<Ok<PlaybackResponse>, ProblemHttpResult> Start(
        string titleId, HttpContext context, Steerer steerer, SessionCodec sessions, DeliveryKeyRing keys, PublicUrl publicUrl,
        IOptions<PlaybackOptions> options, TimeProvider time)
    {
        var client = context.Connection.RemoteIpAddress ?? IPAddress.IPv6Loopback;
        SteeringDecision decision;
        using (var span = ControlPlaneActivities.Source.StartActivity("steering.decide")) // null, and free, when nothing listens
        {
            decision = steerer.Decide(titleId, client);
            span?.SetTag("opencdn.title_id", titleId).SetTag("opencdn.steering.outcome", OutcomeName(decision.Outcome))
                .SetTag("opencdn.steering.servers", decision.Count);
        }
        if (decision.Outcome == SteeringOutcome.UnknownTitle)
        {
            return TypedResults.Problem($"Title '{titleId}' is not ready for playback.", statusCode: StatusCodes.Status404NotFound);
        }
        var expiresAt = time.GetUtcNow() + options.Value.SessionLifetime;
        var servers = new PlaybackServer[decision.Count];
        var sessionServers = new SessionServer[decision.Count];
        for (var i = 0; i < decision.Count; i++)
        {
            var choice = decision[i];
            var baseUrl = choice.Id == ServerChoice.OriginId
                ? DeliveryUrls.Origin(
                    publicUrl, DeliveryToken.Issue(keys.Current(DeliveryAudience.Origin), titleId, expiresAt), titleId, decision.Version)
                : DeliveryUrls.Edge(
                    choice.BaseUrl, DeliveryToken.Issue(keys.Current(DeliveryAudience.Edge(choice.Id)), titleId, expiresAt), titleId,
                    decision.Version);
            servers[i] = new PlaybackServer(choice.Id, choice.Name, baseUrl, choice.Priority, choice.Weight, ReasonName(choice.Reason));
            sessionServers[i] = new SessionServer(choice.Id, choice.Priority, choice.Weight);
        }
        var sessionId = sessions.Encode(
            new PlaybackSession(titleId, decision.Version, expiresAt, sessionServers, PlaybackSession.NewNonce()));
        return TypedResults.Ok(new PlaybackResponse(sessionId, titleId, decision.Version, servers,
            SessionUrl(publicUrl, $"playback/{sessionId}/manifest.mpd"), SessionUrl(publicUrl, $"steering/{sessionId}"), expiresAt));
    }

    /// <summary>The session's MPD: one BaseURL per server still in the fleet, in rank order, each with a token for that server alone.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Manifest(
        string sessionId, SessionCodec sessions, Steerer steerer, PackageReader packages, DeliveryKeyRing keys, PublicUrl publicUrl,
        CancellationToken cancellationToken)
    {
        if (sessions.Decode(sessionId) is not { } session)
        {
            return SessionNotFound();
        }
        var fleet = steerer.Current; // one snapshot for the whole answer
        var package = fleet.Catalog.TryGetCurrent(session.TitleId, out _, out var current) && current == session.Version
            ? await packages.ReadAsync(session.TitleId, session.Version, cancellationToken)
            : null;
        if (package is null)
        {
            return TypedResults.Problem("The session's title is no longer available; start a new session.", statusCode: StatusCodes.Status410Gone);
        }
        var servers = new List<MpdServer>(session.Servers.Count);
        foreach (var server in session.Servers)
        {
            var baseUrl = server.Id == ServerChoice.OriginId
                ? DeliveryUrls.Origin(publicUrl, Token(DeliveryAudience.Origin), session.TitleId, session.Version)
                : fleet.FindEdge(server.Id) is { } edge
                    ? DeliveryUrls.Edge(edge.Descriptor.BaseUrl, Token(DeliveryAudience.Edge(server.Id)), session.TitleId, session.Version)
                    : null;
            if (baseUrl is not null)
            {
                servers.Add(new MpdServer(server.Id, baseUrl, server.Priority, server.Weight));
            }
        }
        var mpd = MpdRenderer.Render(package, servers, SessionUrl(publicUrl, $"steering/{sessionId}"));
        return TypedResults.Content(mpd, "application/dash+xml");

        string Token(string audience) => DeliveryToken.Issue(keys.Current(audience), session.TitleId, session.ExpiresAt);
    }

    /// <summary>
    /// DASH-IF content steering (CTS 001): the session's pathways re-ranked from fresh health, load and inventory, and
    /// from what the player says of its current pathway (<c>_DASH_pathway</c>) and throughput (<c>_DASH_throughput</c>, bit/s).
    /// </summary>
    private static async Task<Results<JsonHttpResult<Dictionary<string, object>>, ProblemHttpResult>> Steer(
        string sessionId, HttpContext context, SessionCodec sessions, Steerer steerer, PackageReader packages, PublicUrl publicUrl,
        IOptions<PlaybackOptions> options, CancellationToken cancellationToken)
    {
        if (sessions.Decode(sessionId) is not { } session)
        {
            return SessionNotFound();
        }
        var query = context.Request.Query;
        var pathway = query["_DASH_pathway"].ToString().Trim('"');
        long? throughput = long.TryParse(query["_DASH_throughput"], NumberStyles.None, CultureInfo.InvariantCulture, out var measured)
            ? measured
            : null;
        var package = await packages.ReadAsync(session.TitleId, session.Version, cancellationToken);
        var required = package?.Representations.Where(r => r.Kind == MediaKind.Video).Select(r => (long)r.Bandwidth).DefaultIfEmpty(0).Min() ?? 0;
        var priority = steerer.Rerank(session.Pathways, session.TitleId, pathway.Length == 0 ? null : pathway, throughput, required);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["VERSION"] = 1,
            ["TTL"] = (int)options.Value.SteeringTtl.TotalSeconds,
            ["RELOAD-URI"] = SessionUrl(publicUrl, $"steering/{sessionId}").AbsoluteUri,
            ["PATHWAY-PRIORITY"] = priority,
        });
    }

    public sealed record SteeringShares(double Hit, double ContentMiss, double HealthMiss, double Other);

    public sealed record SteeringStatsView(
        long Decisions, long Hits, long ContentMisses, long HealthMisses, long Other, long UnknownTitles, SteeringShares Shares);

    /// <summary>
    /// Every control-plane instance's decisions since the first start: the catalog's totals plus what this one has not
    /// flushed yet.
    /// </summary>
    private static async Task<Ok<SteeringStatsView>> Stats(SteeringTotals totals, CancellationToken cancellationToken)
    {
        var counts = await totals.ReadAsync(cancellationToken);
        return TypedResults.Ok(new SteeringStatsView(counts.Decisions, counts.Hits, counts.ContentMisses, counts.HealthMisses, counts.Other,
            counts.UnknownTitles, new SteeringShares(counts.Share(counts.Hits), counts.Share(counts.ContentMisses), counts.Share(counts.HealthMisses),
                counts.Share(counts.Other))));
    }

    private static ProblemHttpResult SessionNotFound() =>
        TypedResults.Problem("The playback session is unknown or has expired; start a new session.", statusCode: StatusCodes.Status404NotFound);

    private static Uri SessionUrl(PublicUrl publicUrl, string path) => new(publicUrl.Resolve($"/api/v1/{path}"));

    private static string OutcomeName(SteeringOutcome outcome) => outcome switch
    {
        SteeringOutcome.Hit => "hit",
        SteeringOutcome.ContentMiss => "content-miss",
        SteeringOutcome.HealthMiss => "health-miss",
        SteeringOutcome.UnknownTitle => "unknown-title",
        _ => "other",
    };

    private static string ReasonName(ChoiceReason reason) => reason switch
    {
        ChoiceReason.EmbeddedPrefix => "embedded-prefix",
        ChoiceReason.IxNearest => "ix-nearest",
        ChoiceReason.Degraded => "degraded",
        _ => "origin",
    };
}
