using OpenCdn.Catalog.Stats;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Adds up rows of QoE sums (the fleet's stored totals and this instance's pending part) into the stats report. Means
/// are computed last, from the summed sums and counts; at most <see cref="QoeAggregator.MaxKeys"/> servers and titles are
/// listed (those with the most beacons), the rest summed as <see cref="QoeAggregator.Other"/>.
/// </summary>
internal static class QoeReportBuilder
{
    public static QoeReport Build(IEnumerable<QoeCounters> rows)
    {
        var total = new QoeStats();
        var byServer = new Dictionary<string, QoeStats>(StringComparer.Ordinal);
        var byTitle = new Dictionary<string, QoeStats>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            switch (row.Scope)
            {
                case QoeScope.Total:
                    total.Add(row);
                    break;
                case QoeScope.Server:
                    Row(byServer, row.Name).Add(row);
                    break;
                case QoeScope.Title:
                    Row(byTitle, row.Name).Add(row);
                    break;
            }
        }
        return new QoeReport(QoeStats.BucketBoundsMs, total.View(), Top(byServer), Top(byTitle));
    }

    private static Dictionary<string, QoeStatsView> Top(Dictionary<string, QoeStats> rows)
    {
        if (rows.Count <= QoeAggregator.MaxKeys)
        {
            return rows.ToDictionary(p => p.Key, p => p.Value.View(), StringComparer.Ordinal);
        }
        var other = new QoeStats();
        var kept = new Dictionary<string, QoeStatsView>(StringComparer.Ordinal);
        foreach (var (key, stats) in rows.OrderByDescending(p => p.Value.Beacons).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key != QoeAggregator.Other && kept.Count < QoeAggregator.MaxKeys - 1)
            {
                kept[key] = stats.View();
            }
            else
            {
                other.Add(stats.ToCounters("", ""));
            }
        }
        kept[QoeAggregator.Other] = other.View();
        return kept;
    }

    private static QoeStats Row(Dictionary<string, QoeStats> rows, string key)
    {
        if (!rows.TryGetValue(key, out var stats))
        {
            stats = new QoeStats();
            rows[key] = stats;
        }
        return stats;
    }
}
