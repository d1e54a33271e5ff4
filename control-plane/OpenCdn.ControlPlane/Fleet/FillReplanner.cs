using Microsoft.Extensions.Options;
using OpenCdn.Catalog.FillPlans;
using OpenCdn.Catalog.Popularity;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The fill part of the fleet sync pass, on every instance: adds the plays this instance counted to the fleet-wide
/// popularity in the database, takes or renews the <see cref="PlanningLease"/>, and reads the stored plans' changes.
/// The lease holder alone then replans the whole fleet from the published snapshot and the fleet-wide popularity, when
/// something asked (the catalog or the fleet's membership changed, here or on another instance) or
/// <see cref="FleetOptions.PlanInterval"/> passed, and stores what changed.
/// </summary>
internal sealed partial class FillReplanner(
    FillPlanner planner,
    PopularityTracker popularity,
    PopularityStore scores,
    PlanningLease lease,
    SharedPlans plans,
    Steerer steerer,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FillReplanner> logger)
{
    /// <summary>Scores not added to for this many half-lives have faded below a millionth of a play per million plays.</summary>
    private const int ForgetAfterHalfLives = 64;

    private DateTimeOffset _plannedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _flushedAt = DateTimeOffset.MinValue;
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
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var flushEvery = options.Value.PopularityFlushInterval < options.Value.PlanInterval
            ? options.Value.PopularityFlushInterval : options.Value.PlanInterval;
        if (time.GetUtcNow() - _flushedAt >= flushEvery)
        {
            try
            {
                await FlushPopularityAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.FlushFailed(logger, e); // the plays were put back; the lease and the plans must not wait for them
            }
        }
        var wasHolder = lease.IsHeld;
        var holder = await lease.HoldAsync(cancellationToken);
        await plans.ReadAsync(steerer.Current.Catalog, cancellationToken);
        SteeringMetrics.Planning(holder, planner.Book.Revision);
        if (!holder)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (Interlocked.Exchange(ref _requested, 0) == 0 && wasHolder && now - _plannedAt < options.Value.PlanInterval)
        {
            return;
        }
        var planned = false;
        try
        {
            planned = await PlanAsync(now, cancellationToken);
        }
        finally
        {
            if (!planned)
            {
                Request(); // the next pass tries again
            }
        }
    }

    /// <summary>Adds the plays not flushed yet and gives the planning lease up (the instance stops).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushPopularityAsync(cancellationToken);
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken);
        }
    }

    private async Task<bool> PlanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var halfLife = popularity.Options.HalfLife;
        await scores.ForgetOlderThanAsync(now - (halfLife * ForgetAfterHalfLives), cancellationToken);
        var counts = await scores.ReadAsync(now, halfLife, cancellationToken);
        var view = PopularityView.FromCounts(now, popularity.Options, counts.Select(c => new PopularityCount(c.Region, c.TitleId, c.Score)));
        var change = planner.Next(steerer.Current, view);
        if (!change.IsEmpty)
        {
            PlanWriteOutcome outcome;
            try
            {
                outcome = await plans.WriteAsync(change, lease.Lease, cancellationToken);
            }
            catch
            {
                planner.Abandon(change);
                throw;
            }
            if (outcome != PlanWriteOutcome.Written)
            {
                Log.NotStored(logger, outcome);
                if (outcome == PlanWriteOutcome.LeaseLost)
                {
                    lease.Lost();
                }
                return false;
            }
        }
        SteeringMetrics.Planned(time.GetElapsedTime(started));
        SteeringMetrics.Planning(true, planner.Book.Revision);
        _plannedAt = now;
        return true;
    }

    /// <summary>Adds the plays folded since the last flush to the fleet-wide counts; kept for the next pass if that fails.</summary>
    private async Task FlushPopularityAsync(CancellationToken cancellationToken)
    {
        _flushedAt = time.GetUtcNow();
        var delta = popularity.TakeUnflushed();
        if (delta.Counts.Length == 0)
        {
            return;
        }
        try
        {
            await scores.AddAsync(
                [.. delta.Counts.Select(c => new PopularityScore(c.Region, c.TitleId, c.Score))], delta.At, popularity.Options.HalfLife,
                cancellationToken);
        }
        catch
        {
            popularity.Restore(delta);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(225, LogLevel.Warning, "Plays not added to the fleet-wide popularity; the next flush carries them")]
        public static partial void FlushFailed(ILogger logger, Exception exception);

        [LoggerMessage(223, LogLevel.Warning, "Fill plans not stored ({Outcome}); the next pass reads the stored plans and tries again")]
        public static partial void NotStored(ILogger logger, PlanWriteOutcome outcome);
    }
}
