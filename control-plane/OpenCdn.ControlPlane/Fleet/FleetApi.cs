using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Edges;
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

/// <summary>The edge fleet: bootstrap tokens, registration, heartbeats, the fleet view and draining.</summary>
internal static class FleetApi
{
    public static RouteGroupBuilder MapFleetApi(this RouteGroupBuilder api)
    {
        var edges = api.MapGroup("/edges").WithTags("Fleet");
        edges.MapPost("/bootstrap-tokens", CreateBootstrapToken).RequireAuthorization(Roles.AdminPolicy);
        edges.MapGet("/", List).RequireAuthorization(Roles.AdminPolicy);
        edges.MapPost("/{id}/drain", Drain).RequireAuthorization(Roles.AdminPolicy);
        edges.MapPost("/register", Register).AllowAnonymous().RequireRateLimiting(RateLimitSetup.EdgeRegistration);
        edges.MapPost("/{id}/heartbeat", Heartbeat).RequireAuthorization(EdgeCredentialHandler.Policy);
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
        RegisterEdgeRequest? request, HttpContext context, EdgeStore store, FleetSync fleet, DeliveryKeyRing keys, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem("A bootstrap token is required: Authorization: Bearer {token}.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var errors = RegistrationRules.Check(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await store.RegisterAsync(header["Bearer ".Length..].Trim(), request!, cancellationToken) is not { } edge)
        {
            return TypedResults.Problem("The bootstrap token is unknown, used up or expired.", statusCode: StatusCodes.Status401Unauthorized);
        }
        fleet.Registered(edge.EdgeId, request!);
        return TypedResults.Ok(new RegisterEdgeResponse(edge.EdgeId, edge.Credential, keys.Live));
    }

    private static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> Heartbeat(
        string id, EdgeHeartbeat heartbeat, ClaimsPrincipal user, EdgeStore store, FleetSync fleet, FillPlanner planner, DeliveryKeyRing keys,
        CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(EdgeCredentialHandler.EdgeIdClaim) != id)
        {
            return TypedResults.Problem("An edge may only report for itself.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (heartbeat.Inventory is null || heartbeat.Inventory.Count > 1_000_000 || heartbeat.Fill is null)
        {
            return TypedResults.Problem("A heartbeat carries an inventory and fill progress.", statusCode: StatusCodes.Status400BadRequest);
        }
        await store.RecordHeartbeatAsync(id, heartbeat, cancellationToken);
        fleet.Heartbeat(id, heartbeat);
        var edge = await store.GetAsync(id, cancellationToken);
        return TypedResults.Ok(new HeartbeatResponse(planner.Current(id)?.Version ?? 0, keys.Live, edge?.Draining ?? false));
    }

    /// <summary>
    /// The edge's fill plan, with fresh sources: peers of its group that hold each package, then origin URLs valid for
    /// <see cref="FleetOptions.FillUrlLifetime"/>. Before the planner has seen the edge, an empty plan of version 0 —
    /// the version the heartbeat announces — so it holds what it has.
    /// </summary>
    private static Results<Ok<FillPlan>, ProblemHttpResult> FillPlan(
        string id, ClaimsPrincipal user, FillPlanner planner, Steerer steerer, IObjectStore origin, IOptions<FleetOptions> options, TimeProvider time)
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
        return TypedResults.Ok(planner.Materialize(steerer.Current, assignment,
            (titleId, version, file) => origin.GetDownloadUrl($"{PackageManifest.Folder(titleId, version)}/{file.Name}", lifetime),
            time.GetUtcNow().UtcTicks));
    }

    private static async Task<Ok<IEnumerable<EdgeView>>> List(EdgeStore store, TimeProvider time, IOptions<SteeringOptions> options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(e => EdgeView.Of(e, now, options.Value.DownAfter)));
    }

    private static async Task<Results<NoContent, NotFound>> Drain(string id, EdgeStore store, FleetSync fleet, CancellationToken cancellationToken)
    {
        if (!await store.SetDrainingAsync(id, true, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        fleet.Drained(id);
        return TypedResults.NoContent();
    }
}
