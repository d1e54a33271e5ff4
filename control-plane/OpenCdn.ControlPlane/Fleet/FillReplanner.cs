using Microsoft.Extensions.Options;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Replans fill for the whole fleet from the published snapshot: when something asked (the catalog or the fleet's
/// membership changed) or <see cref="FleetOptions.PlanInterval"/> passed. Popularity is folded first, so plans follow
/// the latest plays.
/// </summary>
internal sealed class FillReplanner(
    FillPlanner planner, PopularityTracker popularity, Steerer steerer, IOptions<FleetOptions> options, TimeProvider time)
{
    private DateTimeOffset _plannedAt = DateTimeOffset.MinValue;
    private int _requested;

    /// <summary>Asks for a replan at the next step (thread-safe).</summary>
    public void Request() => Volatile.Write(ref _requested, 1);

    /// <summary>Asks for a replan that gives every edge a new plan version, so none keeps sources that went away.</summary>
    public void Reissue()
    {
        planner.ReissueAll();
        Request();
    }

    /// <summary>One step of the fleet sync pass.</summary>
    public void Step()
    {
        var now = time.GetUtcNow();
        popularity.Fold();
        if (Interlocked.Exchange(ref _requested, 0) == 0 && now - _plannedAt < options.Value.PlanInterval)
        {
            return;
        }
        var started = time.GetTimestamp();
        planner.Plan(steerer.Current, popularity.Snapshot());
        SteeringMetrics.Planned(time.GetElapsedTime(started));
        _plannedAt = now;
    }
}
