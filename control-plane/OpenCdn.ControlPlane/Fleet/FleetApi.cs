using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Platform.Storage;
using OpenCdn.Steering;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.ControlPlane.RateLimits;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>The edge fleet: bootstrap tokens, registration, heartbeats, the fleet view, draining (and back) and revocation.</summary>
internal static class FleetApi
{
    public static RouteGroupBuilder MapFleetApi(this RouteGroupBuilder api)
    {
        var edges = api.MapGroup("/edges").WithTags("Fleet");
        edges.MapPost("/bootstrap-tokens", CreateBootstrapToken).RequireAuthorization(Roles.AdminPolicy);
        edges.MapGet("/", List).RequireAuthorization(Roles.AdminPolicy);
        edges.MapPost("/{id}/drain", (string id, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken) =>
            SetDrainingAsync(id, true, store, fleet, cancellationToken)).RequireAuthorization(Roles.AdminPolicy);
        edges.MapPost("/{id}/undrain", (string id, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken) =>
            SetDrainingAsync(id, false, store, fleet, cancellationToken)).RequireAuthorization(Roles.AdminPolicy);
        edges.MapPost("/{id}/revoke", Revoke).RequireAuthorization(Roles.AdminPolicy);
        edges.MapDelete("/{id}", Delete).RequireAuthorization(Roles.AdminPolicy);
        // Bodies are read by EdgeMessageReader (a wrong type is a 400 naming its field); Accepts keeps them in the OpenAPI document.
        edges.MapPost("/register", Register).Accepts<RegisterEdgeRequest>("application/json").AllowAnonymous()
            .RequireRateLimiting(RateLimitSetup.EdgeRegistration);
        edges.MapPost("/{id}/heartbeat", Heartbeat).Accepts<EdgeHeartbeat>("application/json").RequireAuthorization(EdgeCredentialHandler.Policy);
        edges.MapGet("/{id}/fill-plan", FillPlan).RequireAuthorization(EdgeCredentialHandler.Policy);
        return api;
    }

    public sealed record BootstrapTokenRequest(int? Uses, int? ExpiresInHours);

    public sealed record BootstrapTokenResponse(string Token, DateTimeOffset ExpiresAt, int Uses);

    private static async Task<Results<Created<BootstrapTokenResponse>, ValidationProblem>> CreateBootstrapToken(
        BootstrapTokenRequest? request, EdgeStore store, CancellationToken cancellationToken)
    {
        var uses = request?.Uses ?? 1;
        var hours = request?.ExpiresInHours ?? 24;
        if (uses is < 1 or > 1000 || hours is < 1 or > 720)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["Uses must be 1–1000 and expiresInHours 1–720."] });
        }
        var (token, expiresAt) = await store.CreateBootstrapTokenAsync(uses, TimeSpan.FromHours(hours), cancellationToken);
        return TypedResults.Created("/api/v1/edges", new BootstrapTokenResponse(token, expiresAt, uses));
    }

    private static async Task<Results<Ok<RegisterEdgeResponse>, ValidationProblem, ProblemHttpResult>> Register(
        HttpContext context, EdgeStore store, FleetSync fleet, DeliveryKeyRing keys, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                "A bootstrap token is required: Authorization: Bearer {token}.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var (request, errors) = await EdgeMessageReader.ReadAsync<RegisterEdgeRequest>(context.Request, cancellationToken);
        errors = errors.Count > 0 ? errors : EdgeInputRules.Check(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await store.RegisterAsync(header["Bearer ".Length..].Trim(), request!, cancellationToken) is not { } edge)
        {
            return TypedResults.Problem("The bootstrap token is unknown, used up or expired.", statusCode: StatusCodes.Status401Unauthorized);
        }
        fleet.Registered(edge.EdgeId, request!);
        return TypedResults.Ok(new RegisterEdgeResponse(edge.EdgeId, edge.Credential, keys.Live(DeliveryAudience.Edge(edge.EdgeId))));
    }

    private static async Task<Results<Ok<HeartbeatResponse>, ValidationProblem, ProblemHttpResult>> Heartbeat(
        string id, HttpRequest request, ClaimsPrincipal user, EdgeStore store, FleetSync fleet, FillPlanner planner, DeliveryKeyRing keys,
        CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(EdgeCredentialHandler.EdgeIdClaim) != id)
        {
            return TypedResults.Problem("An edge may only report for itself.", statusCode: StatusCodes.Status403Forbidden);
        }
        var (heartbeat, errors) = await EdgeMessageReader.ReadAsync<EdgeHeartbeat>(request, cancellationToken);
        errors = errors.Count > 0 ? errors : EdgeInputRules.Check(heartbeat);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await store.RecordHeartbeatAsync(id, heartbeat!, cancellationToken);
        fleet.Heartbeat(id, heartbeat!);
        var edge = await store.GetAsync(id, cancellationToken);
        // The edge's own keys only: they open its own URLs, nothing on another edge or on origin.
        return TypedResults.Ok(
            new HeartbeatResponse(planner.Current(id)?.Version ?? 0, keys.Live(DeliveryAudience.Edge(id)), edge?.Draining ?? false));
    }

    /// <summary>
    /// The edge's fill plan, with fresh sources: peers of its group that hold each package (each with a token only that
    /// peer accepts, for that title), then origin URLs; both valid for <see cref="FleetOptions.FillUrlLifetime"/>.
    /// Before the planner has seen the edge, an empty plan of version 0 — the version the heartbeat announces — so it
    /// holds what it has.
    /// </summary>
    private static Results<Ok<FillPlan>, ProblemHttpResult> FillPlan(
        string id, ClaimsPrincipal user, FillPlanner planner, Steerer steerer, IObjectStore origin, DeliveryKeyRing keys,
        IOptions<FleetOptions> options,
        TimeProvider time)
    {
        if (user.FindFirstValue(EdgeCredentialHandler.EdgeIdClaim) != id)
        {
            return TypedResults.Problem("An edge may only read its own plan.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (planner.Current(id) is not { } assignment)
        {
            return TypedResults.Ok(new FillPlan(0, time.GetUtcNow(), []));
        }
        var lifetime = options.Value.FillUrlLifetime;
        var now = time.GetUtcNow();
        return TypedResults.Ok(planner.Materialize(steerer.Current, assignment,
            (titleId, version, file) => origin.GetDownloadUrl(OriginKeys.PackageFile(titleId, version, file.Name), lifetime),
            (peerId, titleId) => PeerToken.Issue(keys.Current(DeliveryAudience.Edge(peerId)), titleId, now + lifetime),
            now.UtcTicks));
    }

    private static async Task<Ok<IEnumerable<EdgeView>>> List(
        EdgeStore store, EdgeProblems problems, TimeProvider time, IOptions<SteeringOptions> options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok(
            (await store.ListAsync(cancellationToken)).Select(e => EdgeView.Of(e, now, options.Value.DownAfter, problems.Of(e.Id))));
    }

    /// <summary>
    /// Drains an edge (steering sends it no new viewers, and its next heartbeat tells it so) or returns it to service: the
    /// row first, so every instance follows within one sync.
    /// </summary>
    private static async Task<Results<NoContent, NotFound>> SetDrainingAsync(
        string id, bool draining, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken)
    {
        if (!await store.SetDrainingAsync(id, draining, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        fleet.SetDraining(id, draining);
        return TypedResults.NoContent();
    }

    /// <summary>Revokes an edge: its credential dies at once on every instance, and it leaves steering and every plan.</summary>
    private static async Task<Results<NoContent, NotFound>> Revoke(string id, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken)
    {
        if (!await store.RevokeAsync(id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        fleet.Revoked(id);
        return TypedResults.NoContent();
    }

    /// <summary>Decommissions an edge: revoked as above, and its row and inventory removed.</summary>
    private static async Task<Results<NoContent, NotFound>> Delete(string id, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        fleet.Revoked(id);
        return TypedResults.NoContent();
    }
}
