using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenCdn.Edge.ControlPlane;
using OpenCdn.Edge.Keys;

namespace OpenCdn.Edge.Hosting;

/// <summary>
/// <c>/healthz</c> for the operator's load balancer: unhealthy (503) while the edge holds no live signing key, since it
/// can then serve nothing; degraded while the control plane asks it to drain.
/// </summary>
internal sealed class EdgeHealthCheck(KeyRing keys, EdgeStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!keys.HasLiveKey)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No live signing key: not registered yet, or every key expired."));
        }
        return Task.FromResult(
            status.Draining ? HealthCheckResult.Degraded("Draining at the control plane's request.") : HealthCheckResult.Healthy());
    }
}
