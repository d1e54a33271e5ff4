namespace OpenCdn.Catalog.Stats;

/// <summary>
/// QoE sums for one row of the statistics (<see cref="Scope"/>: <c>total</c>, <c>server</c> or <c>title</c>; <see cref="Name"/>:
/// the server or title id, empty for the total). Only sums and counts, never means, so rows from any number of
/// instances add up exactly; the histograms are bucket counts, indexed by bucket.
/// </summary>
public sealed record QoeCounters(
    string Scope,
    string Name,
    long Beacons,
    long Plays,
    double StartupMsSum,
    IReadOnlyList<long> StartupBuckets,
    long Stalls,
    double StallMsSum,
    IReadOnlyList<long> StallBuckets,
    long BitrateSwitches,
    long ThroughputSamples,
    double ThroughputKbpsSum);
