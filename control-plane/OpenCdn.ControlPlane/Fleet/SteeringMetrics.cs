using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fleet;
using Prometheus;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>What <c>/metrics</c> says of steering: decisions by outcome, and the snapshot decisions read.</summary>
internal static class SteeringMetrics
{
    private static readonly Counter Decisions = Metrics.CreateCounter("opencdn_steering_decisions_total",
        "Playback decisions by outcome (hit, content_miss, health_miss, other, unknown_title).", "outcome");

    private static readonly Gauge SnapshotEdges = Metrics.CreateGauge("opencdn_steering_snapshot_edges", "Edges in the current steering snapshot.");

    private static readonly Gauge SnapshotTitles = Metrics.CreateGauge(
        "opencdn_steering_snapshot_titles", "Ready titles in the current steering snapshot.");

    private static readonly Gauge EdgesLeftOut = Metrics.CreateGauge("opencdn_fleet_edges_left_out",
        "Edges left out of steering because their stored registration or heartbeat is not valid (the fleet view says why).");

    private static readonly Gauge Edges = Metrics.CreateGauge("opencdn_fleet_edges",
        "Edges in steering by status at the scrape (healthy, degraded, draining, down: no heartbeat for MissedHeartbeats intervals).",
        "status");

    private static readonly Gauge.Child[] EdgesByStatus =
        [.. Enum.GetValues<EdgeStatus>().Select(s => Edges.WithLabels(s.ToString().ToLowerInvariant()))];

    private static readonly Histogram SnapshotBuild = Metrics.CreateHistogram("opencdn_steering_snapshot_build_seconds",
        "Time to build a steering snapshot.", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 4, 8) });

    private static readonly Histogram FillPlanning = Metrics.CreateHistogram("opencdn_fill_plan_seconds",
        "Time to plan fill for the whole fleet.", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 4, 8) });

    private static readonly Gauge Planner = Metrics.CreateGauge("opencdn_fill_planner",
        "1 while this instance holds the planning lease (plans fill for the fleet), else 0.");

    private static readonly Gauge PlanRevision = Metrics.CreateGauge("opencdn_fill_plan_revision",
        "Revision of the stored fill plans this instance hands out (the same on every instance once each has synced).");

    private static Steerer? _watched;
    private static TimeProvider _time = TimeProvider.System;
    private static int _hooked;

    /// <summary>
    /// Reads <paramref name="steerer"/>'s decision counters whenever metrics are scraped (decisions themselves only bump
    /// striped counters). The registry is the process's: the hook is added once, and reads the steerer watched last.
    /// </summary>
    public static void Watch(Steerer steerer, TimeProvider time)
    {
        Volatile.Write(ref _time, time);
        Volatile.Write(ref _watched, steerer);
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            Metrics.DefaultRegistry.AddBeforeCollectCallback(Collect);
        }
    }

    private static void Collect()
    {
        if (Volatile.Read(ref _watched) is not { } steerer)
        {
            return;
        }
        var counts = steerer.Stats.Read();
        Decisions.WithLabels("hit").IncTo(counts.Hits);
        Decisions.WithLabels("content_miss").IncTo(counts.ContentMisses);
        Decisions.WithLabels("health_miss").IncTo(counts.HealthMisses);
        Decisions.WithLabels("other").IncTo(counts.Other);
        Decisions.WithLabels("unknown_title").IncTo(counts.UnknownTitles);
        var snapshot = steerer.Current;
        SnapshotEdges.Set(snapshot.Edges.Length);
        SnapshotTitles.Set(snapshot.Catalog.Current.Length);
        CountEdges(snapshot);
    }

    /// <summary>Judged as a decision would judge them now: a silent edge counts as down without a new snapshot.</summary>
    private static void CountEdges(FleetSnapshot snapshot)
    {
        Span<int> counts = stackalloc int[EdgesByStatus.Length];
        var now = Volatile.Read(ref _time).GetUtcNow().UtcTicks;
        foreach (var edge in snapshot.Edges)
        {
            counts[(int)edge.StatusAt(now, snapshot.Options.DownAfter.Ticks, snapshot.Options.LoadCeiling)]++;
        }
        for (var status = 0; status < counts.Length; status++)
        {
            EdgesByStatus[status].Set(counts[status]);
        }
    }

    public static void LeftOut(int edges) => EdgesLeftOut.Set(edges);

    public static void Built(TimeSpan elapsed) => SnapshotBuild.Observe(elapsed.TotalSeconds);

    public static void Planned(TimeSpan elapsed) => FillPlanning.Observe(elapsed.TotalSeconds);

    public static void Planning(bool holder, int revision)
    {
        Planner.Set(holder ? 1 : 0);
        PlanRevision.Set(revision);
    }
}
