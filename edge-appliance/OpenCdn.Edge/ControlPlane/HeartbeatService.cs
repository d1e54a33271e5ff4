using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;

namespace OpenCdn.Edge.ControlPlane;

/// <summary>
/// Registers once with the bootstrap token, then heartbeats every interval: takes the key set, the drain flag and, when
/// its version moved, the new fill plan. When the control plane is unreachable the edge keeps serving with the keys and
/// plan it has and retries with backoff.
/// </summary>
internal sealed partial class HeartbeatService(
    ControlPlaneClient client, IdentityStore identities, HeartbeatBuilder heartbeats, KeyRing keys, FillPlanStore plans, Inventory inventory,
    EdgeStatus status, TimeProvider time, IOptions<EdgeOptions> options, ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var edge = options.Value;
        if (edge.ControlPlaneUrl is null)
        {
            Log.Standalone(logger);
            return;
        }
        var backoff = new Backoff(TimeSpan.FromMilliseconds(Math.Min(1000, edge.HeartbeatInterval.TotalMilliseconds)), MaxBackoff);
        var connected = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var reason = await BeatAsync(stoppingToken);
            if (reason is null)
            {
                if (!connected)
                {
                    Log.Reconnected(logger);
                }
                connected = true;
                backoff.Reset();
                await Task.Delay(edge.HeartbeatInterval, time, stoppingToken);
                continue;
            }
            connected = false;
            var delay = backoff.Next();
            Log.Unreachable(logger, reason, delay);
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    /// <summary>One round; <c>null</c> when it went through, otherwise why not.</summary>
    internal async Task<string?> BeatAsync(CancellationToken cancellationToken)
    {
        if (identities.Current is not { } identity)
        {
            var registered = await RegisterAsync(cancellationToken);
            if (registered.Status != CallStatus.Ok)
            {
                return registered.Reason;
            }
            identity = identities.Current!;
        }
        var (heartbeat, inventoryNumber) = heartbeats.Build();
        var answer = await client.HeartbeatAsync(identity, heartbeat, cancellationToken);
        if (answer.Status == CallStatus.Unauthorized)
        {
            Log.CredentialRejected(logger);
            await identities.SetAsync(null, cancellationToken); // enroll again with the bootstrap token
        }
        if (answer.Value is not { } response)
        {
            return answer.Reason;
        }
        status.Contacted(time.GetUtcNow());
        inventory.Reported(inventoryNumber);
        var keysChanged = await keys.ReplaceAsync(response.SigningKeys, cancellationToken);
        if (status.Draining != response.Drain)
        {
            status.Draining = response.Drain;
            Log.Drain(logger, response.Drain);
        }
        // New keys mean the plan's peer tokens were signed with keys on their way out: fetch it again for fresh ones.
        if (plans.Current?.Version != response.FillPlanVersion || keysChanged)
        {
            var plan = await client.GetFillPlanAsync(identity, cancellationToken);
            if (plan.Value is null)
            {
                return plan.Reason;
            }
            await plans.SetAsync(plan.Value, cancellationToken);
        }
        return null;
    }

    private async Task<ControlPlaneCall<RegisterEdgeResponse>> RegisterAsync(CancellationToken cancellationToken)
    {
        var edge = options.Value;
        if (string.IsNullOrEmpty(edge.BootstrapToken))
        {
            return new(CallStatus.Failed, null, "not registered and no BootstrapToken configured");
        }
        var request = new RegisterEdgeRequest(edge.Name, edge.PublicUrl!, edge.SiteKind, edge.Asn, edge.Isp, edge.Latitude, edge.Longitude,
            [.. edge.ClientPrefixes], edge.DiskCapacityBytes, edge.EgressCapacityBitsPerSecond, edge.FillWindow, edge.FillRateBytesPerSecond);
        var answer = await client.RegisterAsync(request, edge.BootstrapToken, cancellationToken);
        if (answer.Value is { } response)
        {
            await identities.SetAsync(new EdgeIdentity(response.EdgeId, response.Credential), cancellationToken);
            await keys.ReplaceAsync(response.SigningKeys, cancellationToken);
            status.Contacted(time.GetUtcNow());
            Log.Registered(logger, response.EdgeId, edge.ControlPlaneUrl!);
        }
        return answer;
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Warning, "No OpenCdn:Edge:ControlPlaneUrl: serving what the data folder holds, no fill, no heartbeat")]
        public static partial void Standalone(ILogger logger);

        [LoggerMessage(401, LogLevel.Information, "Registered as edge {EdgeId} with {ControlPlane}")]
        public static partial void Registered(ILogger logger, string edgeId, Uri controlPlane);

        [LoggerMessage(402, LogLevel.Warning, "Control plane not reached ({Reason}); serving with the keys and plan held, retrying in {Delay}")]
        public static partial void Unreachable(ILogger logger, string? reason, TimeSpan delay);

        [LoggerMessage(403, LogLevel.Information, "Control plane reached again")]
        public static partial void Reconnected(ILogger logger);

        [LoggerMessage(404, LogLevel.Warning, "The control plane rejected this edge's credential; registering again with the bootstrap token")]
        public static partial void CredentialRejected(ILogger logger);

        [LoggerMessage(405, LogLevel.Information, "Drain set to {Drain} by the control plane")]
        public static partial void Drain(ILogger logger, bool drain);
    }
}
