using OpenCdn.Catalog.Stats;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Running QoE sums for one server, one title or everything: counts, sums and histogram bucket counts only, so that
/// any number of them (instances, flushes) add up exactly. Not thread-safe: <see cref="QoeAggregator"/> locks.
/// </summary>
internal sealed class QoeStats
{
    /// <summary>Upper bounds (ms) of the startup-time and stall-duration buckets; a last bucket holds the rest.</summary>
    public static readonly double[] BucketBoundsMs = [250, 500, 1000, 2000, 4000, 8000];

    public static readonly int BucketCount = BucketBoundsMs.Length + 1;

    private readonly long[] _startupBuckets = new long[BucketCount];
    private readonly long[] _stallBuckets = new long[BucketCount];
    private long _plays;
    private double _startupMsSum;
    private long _stalls;
    private double _stallMsSum;
    private long _switches;
    private long _throughputSamples;
    private double _throughputKbpsSum;

    public long Beacons { get; private set; }

    public void Add(QoeBeacon beacon)
    {
        Beacons++;
        if (beacon.StartupMs is { } startup)
        {
            _plays++;
            _startupMsSum += startup;
            _startupBuckets[Bucket(startup)]++;
        }
        foreach (var stall in beacon.StallsMs ?? [])
        {
            _stalls++;
            _stallMsSum += stall;
            _stallBuckets[Bucket(stall)]++;
        }
        _switches += beacon.BitrateSwitches;
        if (beacon.ThroughputKbps is { } throughput)
        {
            _throughputSamples++;
            _throughputKbpsSum += throughput;
        }
    }

    /// <summary>Adds another row's sums (stored, or another set of beacons).</summary>
    public void Add(QoeCounters counters)
    {
        Beacons += counters.Beacons;
        _plays += counters.Plays;
        _startupMsSum += counters.StartupMsSum;
        _stalls += counters.Stalls;
        _stallMsSum += counters.StallMsSum;
        _switches += counters.BitrateSwitches;
        _throughputSamples += counters.ThroughputSamples;
        _throughputKbpsSum += counters.ThroughputKbpsSum;
        AddBuckets(_startupBuckets, counters.StartupBuckets);
        AddBuckets(_stallBuckets, counters.StallBuckets);
    }

    public QoeCounters ToCounters(string scope, string name) => new(
        scope, name, Beacons, _plays, _startupMsSum, [.. _startupBuckets], _stalls, _stallMsSum, [.. _stallBuckets], _switches,
        _throughputSamples, _throughputKbpsSum);

    public QoeStatsView View() => new(
        Beacons, _plays, _plays == 0 ? null : _startupMsSum / _plays, [.. _startupBuckets],
        _stalls, _stallMsSum, [.. _stallBuckets], _switches, _throughputSamples == 0 ? null : _throughputKbpsSum / _throughputSamples);

    private static void AddBuckets(long[] buckets, IReadOnlyList<long> more)
    {
        for (var i = 0; i < more.Count; i++)
        {
            buckets[Math.Min(i, buckets.Length - 1)] += more[i];
        }
    }

    private static int Bucket(double ms)
    {
        var i = 0;
        while (i < BucketBoundsMs.Length && ms > BucketBoundsMs[i])
        {
            i++;
        }
        return i;
    }
}
