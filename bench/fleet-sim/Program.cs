using System.Globalization;
using OpenCdn.FleetSim.Report;

namespace OpenCdn.FleetSim;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--merge-sweep", var runs, "--out", var into])
        {
            SweepMerge.Write(into, runs.Split(','));
            return 0;
        }
        if (Arguments.Parse(args, out var error) is not { } arguments)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Arguments.Usage);
            return 2;
        }
        var command = "dotnet run -c Release --project bench/fleet-sim -- " + string.Join(' ', args);
        if (arguments.SweepOnly)
        {
            var points = Sweep(arguments);
            if (arguments.OutputFolder is { } sweepFolder)
            {
                Directory.CreateDirectory(sweepFolder);
                Plots.WriteSweep(sweepFolder, points);
                File.WriteAllText(Path.Combine(sweepFolder, "sweep.md"), SweepTable(points, command));
            }
            return 0;
        }
        var sim = new Simulation(arguments.Options).Run();
        var totals = Totals(sim);
        var planner = sim.Push.Ledger;
        var pullCpu = sim.Pulls.Select(p => p.Ledger.CpuSeconds.ToString("F1", CultureInfo.InvariantCulture));
        var timing = string.Create(CultureInfo.InvariantCulture,
            $"Simulated {sim.PlaysSimulated:N0} plays ({sim.Options.TotalDays} days with the warm-up) on {sim.Network.Edges.Length:N0} edges in "
            + $"{sim.WallSeconds:F1} s wall; the planner's own share: {planner.PlannerSeconds:F1} s in {planner.PlannerRuns} runs "
            + $"({planner.PlannerSeconds / Math.Max(1, planner.PlannerRuns) * 1000:F0} ms a run; CPU {planner.PlannerCpuSeconds:F1} s, "
            + $"{planner.PlannerCpuSeconds / Math.Max(1, planner.PlannerRuns) * 1000:F0} ms a run); "
            + $"without it {sim.WallSeconds - planner.PlannerSeconds:F1} s "
            + $"(push phases, wall / CPU: heartbeats and snapshots {sim.Push.Phases[0]:F1} / {sim.Push.PhaseCpu[0]:F1} s, "
            + $"fill {sim.Push.Phases[1]:F1} / {sim.Push.PhaseCpu[1]:F1} s, decisions {sim.Push.Phases[2]:F1} / {sim.Push.PhaseCpu[2]:F1} s, "
            + $"popularity folds {sim.Push.Phases[3]:F1} / {sim.Push.PhaseCpu[3]:F1} s; "
            + $"the pull caches beside push on threads of their own: {string.Join(" / ", pullCpu)} s CPU); "
            + $"GC paused {GC.GetTotalPauseDuration().TotalSeconds:F1} s "
            + $"({GC.CollectionCount(0):N0} collections, {GC.CollectionCount(2):N0} of them full).");
        var report = MarkdownReport.Render(sim, totals, command) + "\n" + timing + "\n";
        Console.WriteLine(report);
        if (arguments.OutputFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
            Plots.Write(folder, sim);
            if (arguments.SweepShares.Length > 0)
            {
                Plots.WriteSweep(folder, Sweep(arguments));
            }
            File.WriteAllText(Path.Combine(folder, "results.md"), report);
            if (arguments.Study)
            {
                File.WriteAllText(Path.Combine(folder, "study.md"), Study.Run(arguments.Options with { Plays = arguments.SweepPlays }));
            }
        }
        return 0;
    }

    private static string SweepTable(List<(double Share, List<Summary> Totals)> points, string command)
    {
        var md = new System.Text.StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"Command: `{command}`\n\n| embedded disk | ")
            .Append(string.Join(" | ", points[0].Totals.Select(t => $"{t.Name} offload"))).Append(" | push transit TB | LRU transit TB |\n|---|")
            .Append(string.Concat(points[0].Totals.Select(_ => "---|"))).Append("---|---|\n");
        foreach (var (share, totals) in points)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {share:P0} | ")
                .Append(string.Join(" | ", totals.Select(t => t.EmbeddedShare.ToString("P1", CultureInfo.InvariantCulture))))
                .Append(CultureInfo.InvariantCulture, $" | {totals[0].TransitTb:F1} | {totals[Math.Min(1, totals.Count - 1)].TransitTb:F1} |\n");
        }
        return md.ToString();
    }

    public static List<Summary> Totals(Simulation sim)
    {
        var from = sim.MeasuredFromHour;
        var monthStart = Simulation.MonthStart;
        return [.. sim.Ledgers.Select(l => Summary.Of(l, from, sim.Options.TotalHours,
            t => sim.Catalog.Titles[t].LaunchWeight > 0 && sim.Catalog.Titles[t].LaunchedAt >= monthStart))];
    }

    private static List<(double Share, List<Summary> Totals)> Sweep(Arguments arguments)
    {
        var points = new List<(double, List<Summary>)>();
        foreach (var share in arguments.SweepShares)
        {
            var sim = new Simulation(arguments.Options with
            {
                EmbeddedDiskShare = share,
                Plays = arguments.SweepPlays,
                PlanInterval = TimeSpan.FromHours(6),
            }).Run();
            var totals = Totals(sim);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep: disk {share:P0}: {string.Join(", ", totals.Select(t => $"{t.Name} {t.EmbeddedShare:P1}"))} ({sim.WallSeconds:F0} s)"));
            points.Add((share, totals));
        }
        return points;
    }
}
