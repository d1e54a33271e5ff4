using Prometheus;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Player beacons summed in memory per server and per title (since this instance started), and exported to
/// <c>/metrics</c> per server. Keys come from clients, so their number is capped: beyond the cap they count as
/// <see cref="Other"/>, which keeps both the memory and the metric label set bounded.
/// </summary>
internal sealed class QoeAggregator
{
    public const string Other = "other";
    public const int MaxKeys = 500;

    private static readonly double[] BucketsSeconds = [.. QoeStats.BucketBoundsMs.Select(ms => ms / 1000)];
    private static readonly Histogram Startup = Metrics.CreateHistogram("opencdn_qoe_startup_seconds",
        "Player startup time, playback request to first frame, by the server that served the first frame.",
        new HistogramConfiguration { LabelNames = ["server"], Buckets = BucketsSeconds });
    private static readonly Histogram Stall = Metrics.CreateHistogram("opencdn_qoe_stall_seconds",
        "Duration of each playback stall (rebuffering), by server.",
        new HistogramConfiguration { LabelNames = ["server"], Buckets = BucketsSeconds });
    private static readonly Counter Switches = Metrics.CreateCounter(
        "opencdn_qoe_bitrate_switches_total", "ABR rendition switches, by server.", "server");
    private static readonly Counter Beacons = Metrics.CreateCounter("opencdn_qoe_beacons_total", "QoE beacons accepted, by server.", "server");

    private readonly Lock _lock = new();
    private readonly QoeStats _total = new();
    private readonly Dictionary<string, QoeStats> _byServer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QoeStats> _byTitle = new(StringComparer.Ordinal);

    public void Add(QoeBeacon beacon)
    {
        string server;
        lock (_lock)
        {
            _total.Add(beacon);
            server = Row(_byServer, beacon.Server!, out var byServer);
            byServer.Add(beacon);
            Row(_byTitle, beacon.TitleId!, out var byTitle);
            byTitle.Add(beacon);
        }
        Beacons.WithLabels(server).Inc();
        Switches.WithLabels(server).Inc(beacon.BitrateSwitches);
        if (beacon.StartupMs is { } startup)
        {
            Startup.WithLabels(server).Observe(startup / 1000);
        }
        foreach (var stall in beacon.StallsMs ?? [])
        {
            Stall.WithLabels(server).Observe(stall / 1000);
        }
    }

    public QoeReport Report()
    {
        lock (_lock)
        {
            return new QoeReport(QoeStats.BucketBoundsMs, _total.View(),
                _byServer.ToDictionary(p => p.Key, p => p.Value.View(), StringComparer.Ordinal),
                _byTitle.ToDictionary(p => p.Key, p => p.Value.View(), StringComparer.Ordinal));
        }
    }

    /// <summary>The row for <paramref name="key"/>, or <see cref="Other"/>'s once the map is full; returns the key used.</summary>
    private static string Row(Dictionary<string, QoeStats> rows, string key, out QoeStats stats)
    {
        if (!rows.ContainsKey(key) && rows.Count >= MaxKeys)
        {
            key = Other;
        }
        if (!rows.TryGetValue(key, out stats!))
        {
            stats = new QoeStats();
            rows[key] = stats;
        }
        return key;
    }
}
