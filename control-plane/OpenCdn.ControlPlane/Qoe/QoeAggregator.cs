using OpenCdn.Catalog.Stats;
using Prometheus;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Player beacons summed in memory per server and per title until the next flush takes them to the fleet's totals
/// (<see cref="Stats.QoeTotals"/>), and exported to <c>/metrics</c> per server since this instance started. Keys come from
/// clients, so their number is capped: beyond the cap they count as <see cref="Other"/>, which keeps both the memory and
/// the metric label set bounded.
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
    private readonly HashSet<string> _serverLabels = new(StringComparer.Ordinal); // metric labels since start
    private PendingSums _pending = new();

    public void Add(QoeBeacon beacon)
    {
        string label;
        lock (_lock)
        {
            _pending.Total.Add(beacon);
            Row(_pending.ByServer, beacon.Server!).Add(beacon);
            Row(_pending.ByTitle, beacon.TitleId!).Add(beacon);
            label = _serverLabels.Contains(beacon.Server!) || _serverLabels.Count < MaxKeys ? beacon.Server! : Other;
            _serverLabels.Add(label);
        }
        Beacons.WithLabels(label).Inc();
        Switches.WithLabels(label).Inc(beacon.BitrateSwitches);
        if (beacon.StartupMs is { } startup)
        {
            Startup.WithLabels(label).Observe(startup / 1000);
        }
        foreach (var stall in beacon.StallsMs ?? [])
        {
            Stall.WithLabels(label).Observe(stall / 1000);
        }
    }

    /// <summary>The sums since the last <see cref="Take"/>, as rows; they stay here.</summary>
    public IReadOnlyList<QoeCounters> Pending()
    {
        lock (_lock)
        {
            return _pending.Rows();
        }
    }

    /// <summary>The sums since the last take, as rows; this instance starts again from zero.</summary>
    public IReadOnlyList<QoeCounters> Take()
    {
        lock (_lock)
        {
            var rows = _pending.Rows();
            _pending = new PendingSums();
            return rows;
        }
    }

    /// <summary>Puts back rows taken but not stored, so the next take carries them.</summary>
    public void Restore(IEnumerable<QoeCounters> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                var stats = row.Scope switch
                {
                    QoeScope.Server => Row(_pending.ByServer, row.Name),
                    QoeScope.Title => Row(_pending.ByTitle, row.Name),
                    _ => _pending.Total,
                };
                stats.Add(row);
            }
        }
    }

    /// <summary>The row for <paramref name="key"/>, or <see cref="Other"/>'s once the map is full.</summary>
    private static QoeStats Row(Dictionary<string, QoeStats> rows, string key)
    {
        if (!rows.ContainsKey(key) && rows.Count >= MaxKeys)
        {
            key = Other;
        }
        if (!rows.TryGetValue(key, out var stats))
        {
            stats = new QoeStats();
            rows[key] = stats;
        }
        return stats;
    }

    /// <summary>Beacons since the last take: in total, per server, per title.</summary>
    private sealed class PendingSums
    {
        public QoeStats Total { get; } = new();

        public Dictionary<string, QoeStats> ByServer { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, QoeStats> ByTitle { get; } = new(StringComparer.Ordinal);

        public List<QoeCounters> Rows()
        {
            var rows = new List<QoeCounters>(1 + ByServer.Count + ByTitle.Count);
            if (Total.Beacons > 0)
            {
                rows.Add(Total.ToCounters(QoeScope.Total, ""));
            }
            rows.AddRange(ByServer.Select(p => p.Value.ToCounters(QoeScope.Server, p.Key)));
            rows.AddRange(ByTitle.Select(p => p.Value.ToCounters(QoeScope.Title, p.Key)));
            return rows;
        }
    }
}
