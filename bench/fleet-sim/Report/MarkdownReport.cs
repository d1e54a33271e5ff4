using System.Globalization;
using System.Text;

namespace OpenCdn.FleetSim.Report;

/// <summary>The results page: the run's parameters, the month in total, day by day, launches, timing.</summary>
internal static class MarkdownReport
{
    private const double Tb = 1e12;

    public static string Render(Simulation sim, IReadOnlyList<Summary> totals, string command)
    {
        var o = sim.Options;
        var md = new StringBuilder();
        var push = totals[0];
        Line(md, $"Command: `{command}`");
        Line(md, "");
        Line(md, $"Fleet: {sim.Network.Edges.Count(e => e.Embedded)} embedded edges in {o.Isps} ISPs and "
            + $"{sim.Network.Edges.Count(e => !e.Embedded)} IX edges at {sim.Network.Zones.Length} exchanges, 8 time zones; catalog "
            + $"{o.Titles:N0} titles, {sim.CatalogBytes / Tb:F1} TB (every rung), Zipf {o.ZipfExponent}, {o.ReleasesPerWeek} releases a week; "
            + $"embedded disk {o.EmbeddedDiskShare:P0} of the catalog, IX disk {o.IxDiskShare:P0}; {o.Plays:N0} plays in {o.Days} days after a "
            + $"{o.WarmupDays}-day warm-up; fill window {o.FillStartHour:D2}:00–{o.FillEndHour:D2}:00 local at "
            + $"{o.FillRateBytesPerSecond / 1e6:F0} MB/s; planner every {o.PlanInterval.TotalHours:F0} h, half-life "
            + $"{o.HalfLife.TotalHours:F0} h, launch boost {o.LaunchBoost}, disk headroom {o.DiskHeadroom:P0}, "
            + (o.Shard ? $"a group's edges split the catalog (copies at replica load {o.ReplicaLoad})" : "one shared plan per group and disk")
            + $"; seed {o.Seed}.");
        Line(md, "");
        Line(md, "### The month in total");
        Line(md, "");
        Line(md, "| | " + string.Join(" | ", totals.Select(t => t.Name)) + " |");
        Line(md, "|---|" + string.Concat(totals.Select(_ => "---|")));
        Row(md, "plays", totals, t => $"{t.Plays:N0}");
        Row(md, "bytes served (TB)", totals, t => $"{t.ServedTb:F1}");
        Row(md, "**embedded offload**", totals, t => $"**{t.EmbeddedShare:P1}**");
        Row(md, "from IX edges", totals, t => $"{t.IxShare:P1}");
        Row(md, "from origin", totals, t => $"{t.OriginShare:P1}");
        Row(md, "transit: bytes out of origin (TB)", totals, t => $"{t.TransitTb:F1}");
        Row(md, "fill bytes (TB)", totals, t => $"{t.FillTb:F1}");
        Row(md, "fill from origin / peers (TB)", totals, t => $"{t.FillFromOriginTb:F1} / {t.FillFromPeerTb:F1}");
        Row(md, "fill outside the windows (TB)", totals, t => $"{t.FillOutsideWindowTb:F1}");
        Row(md, "**fill during the evening peak (TB)**", totals, t => $"**{t.FillAtPeakTb:F2}** ({t.PeakTransitShare:P1} of fill)");
        Row(md, "steering: hit / content miss / health miss / other", totals.Take(1).ToList(),
            t => $"{t.HitShare:P1} / {t.ContentMissShare:P1} / {t.HealthMissShare:P1} / {t.OtherShare:P1}");
        Row(md, "embedded disk in use (mean)", totals, t => $"{t.DiskUsed:P1}");
        Row(md, "evicted from embedded disks (TB): push by plan, pull by the cache policy", totals, t => $"{t.EvictedTb:F1}");
        var diskTb = sim.Network.Edges.Sum(e => (double)e.DiskBytes) / Tb;
        var months = o.Days / 30.0;
        Row(md, $"cost: transit at ${o.TransitPricePerGb}/GB + {diskTb:F0} TB of disk at ${o.DiskPricePerTbMonth}/TB-month",
            totals, t => $"${(t.TransitTb * 1000 * o.TransitPricePerGb) + (diskTb * o.DiskPricePerTbMonth * months):N0}");
        Row(md, $"launches in the month ({push.Launches}): day-one embedded offload", totals, t => $"{t.DayOneOffload:P1}");
        Row(md, "launches: median hours to the first embedded copy / to a copy in half the ISPs", totals.Take(1).ToList(),
            t => $"{Hours(t.MedianFirstCopyHours)} / {Hours(t.MedianHalfCopiesHours)}");
        Row(md, "fill of titles with N > 1 copies in an ISP not from origin (whole run) / the (N−1)/N target", totals.Take(1).ToList(),
            t => $"{t.PeerCut:P1} / {t.PeerCutTarget:P1}");
        Line(md, "");
        Line(md, "### Day by day");
        Line(md, "");
        Line(md, "| day | plays | offload push / LRU / LFU-DA | transit TB push / LRU / LFU-DA | fill TB push (in window) | "
            + "peak-hour fill TB push / LRU | hit / content miss / health miss | disk used |");
        Line(md, "|---|---|---|---|---|---|---|---|");
        var ledgers = sim.Ledgers.ToList();
        for (var d = 0; d < o.Days; d++)
        {
            var from = sim.MeasuredFromHour + (d * 24);
            double Sum(double[] s) => s.AsSpan(from, 24).ToArray().Sum();
            double Offload(Ledger l) => Sum(l.Embedded) / (Sum(l.Embedded) + Sum(l.Ix) + Sum(l.Origin));
            double Transit(Ledger l) => Enumerable.Range(from, 24).Sum(l.Transit) / Tb;
            var p = ledgers[0];
            var plays = Sum(p.Plays);
            var fill = Enumerable.Range(from, 24).Sum(p.Fill);
            var inWindow = fill == 0 ? 1 : 1 - (Sum(p.FillOutsideWindow) / fill);
            Line(md, $"| {Simulation.MonthStart.AddDays(d):MM-dd ddd} | {plays:N0} | {string.Join(" / ", ledgers.Select(l => $"{Offload(l):P1}"))} | "
                + $"{string.Join(" / ", ledgers.Select(l => $"{Transit(l):F1}"))} | {fill / Tb:F1} ({inWindow:P0}) | "
                + $"{string.Join(" / ", ledgers.Take(2).Select(l => $"{Sum(l.FillAtPeak) / Tb:F2}"))} | "
                + $"{Sum(p.Outcomes[0]) / plays:P1} / {Sum(p.Outcomes[1]) / plays:P1} / {Sum(p.Outcomes[2]) / plays:P1} | "
                + $"{p.DiskUsedShare[(from / 24)]:P0} |");
        }
        return md.ToString();
    }

    private static string Hours(double h) => double.IsInfinity(h) ? "never" : double.IsNaN(h) ? "–" : $"{h:F0} h";

    private static void Row(StringBuilder md, string label, IReadOnlyList<Summary> totals, Func<Summary, FormattableString> cell)
    {
        var cells = totals.Select(t => cell(t).ToString(CultureInfo.InvariantCulture)).ToList();
        Line(md, $"| {label} | {string.Join(" | ", cells)} |");
    }

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
