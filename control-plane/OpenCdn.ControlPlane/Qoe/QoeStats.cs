namespace OpenCdn.ControlPlane.Qoe;

/// <summary>Running QoE totals for one server, one title or everything. Not thread-safe: <see cref="QoeAggregator"/> locks.</summary>
internal sealed class QoeStats
{
    /// <summary>Upper bounds (ms) of the startup-time and stall-duration buckets; a last bucket holds the rest.</summary>
    public static readonly double[] BucketBoundsMs = [250, 500, 1000, 2000, 4000, 8000];

    private readonly long[] _startupBuckets = new long[BucketBoundsMs.Length + 1];
    private readonly long[] _stallBuckets = new long[BucketBoundsMs.Length + 1];
    private long _beacons;
    private long _plays;
    private double _startupMsSum;
    private long _stalls;
    private double _stallMsSum;
    private long _switches;
    private long _throughputSamples;
    private double _throughputKbpsSum;

    public void Add(QoeBeacon beacon)
    {
        _beacons++;
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

    public QoeStatsView View() => new(
        _beacons, _plays, _plays == 0 ? null : _startupMsSum / _plays, [.. _startupBuckets],
        _stalls, _stallMsSum, [.. _stallBuckets], _switches, _throughputSamples == 0 ? null : _throughputKbpsSum / _throughputSamples);

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
