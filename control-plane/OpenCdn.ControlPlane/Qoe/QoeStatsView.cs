namespace OpenCdn.ControlPlane.Qoe;

/// <summary>One row of <c>GET /api/v1/stats/qoe</c>; the bucket arrays line up with <see cref="QoeReport.BucketBoundsMs"/>.</summary>
public sealed record QoeStatsView(
    long Beacons,
    long Plays,
    double? MeanStartupMs,
    long[] StartupBuckets,
    long Stalls,
    double StallMs,
    long[] StallBuckets,
    long BitrateSwitches,
    double? MeanThroughputKbps);
