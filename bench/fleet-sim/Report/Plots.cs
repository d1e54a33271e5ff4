namespace OpenCdn.FleetSim.Report;

/// <summary>The three plots of the results page, as SVG files.</summary>
internal static class Plots
{
    public static void Write(string folder, Simulation sim)
    {
        var from = sim.MeasuredFromHour;
        var perDay = new SvgChart("Embedded offload per day: push fill vs pull caches", "day of the month", "embedded offload (%)")
        {
            YMin = 0,
            YMax = 100,
        };
        foreach (var ledger in sim.Ledgers)
        {
            perDay.Add(ledger.Name, Enumerable.Range(0, sim.Options.Days).Select(d =>
            {
                var span = Enumerable.Range(from + (d * 24), 24);
                return ((double)d + 1, 100 * span.Sum(h => ledger.Embedded[h]) / span.Sum(ledger.Served));
            }));
        }
        File.WriteAllText(Path.Combine(folder, "offload-per-day.svg"), perDay.Render());

        var byHour = new SvgChart("Fill and demand by local hour (share of each one's day)", "local hour of the receiving edge / viewer",
            "share of the day's bytes (%)")
        { YMin = 0 };
        var push = sim.Push.Ledger;
        byHour.Add("demand", Shares(push.ServedByLocalHour), dashed: true).Add("push fill", Shares(push.FillByLocalHour));
        if (sim.Pulls.Count > 0)
        {
            byHour.Add("pull LRU fill", Shares(sim.Pulls[0].Ledger.FillByLocalHour));
        }
        File.WriteAllText(Path.Combine(folder, "fill-by-hour.svg"), byHour.Render());
    }

    public static void WriteSweep(string folder, List<(double Share, List<Summary> Totals)> sweep)
    {
        {
            var disk = new SvgChart("Embedded offload against embedded disk size", "embedded disk (% of the catalog's bytes)",
                "embedded offload (%)")
            { YMin = 0, YMax = 100 };
            foreach (var name in sweep[0].Totals.Select(t => t.Name))
            {
                disk.Add(name, sweep.Select(p => (p.Share * 100, 100 * p.Totals.First(t => t.Name == name).EmbeddedShare)));
            }
            File.WriteAllText(Path.Combine(folder, "offload-vs-disk.svg"), disk.Render());
        }
    }

    private static IEnumerable<(double X, double Y)> Shares(double[] byHour)
    {
        var total = byHour.Sum();
        return byHour.Select((v, h) => ((double)h, total == 0 ? 0 : 100 * v / total));
    }
}
