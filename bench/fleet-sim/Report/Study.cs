using System.Globalization;
using System.Text;

namespace OpenCdn.FleetSim.Report;

/// <summary>
/// Push-only runs that change one planner setting at a time from the shipped defaults (popularity half-life, launch
/// boost, disk headroom), on the same seed, so a setting that is wrong shows in the offload it costs.
/// </summary>
internal static class Study
{
    public static string Run(SimOptions baseline)
    {
        var b = baseline with { WithPull = false };
        (string Setting, SimOptions Options)[] runs =
        [
            ("shipped defaults", b),
            ("half-life 24 h", b with { HalfLife = TimeSpan.FromHours(24) }),
            ("half-life 6 h", b with { HalfLife = TimeSpan.FromHours(6) }),
            ("half-life 72 h", b with { HalfLife = TimeSpan.FromHours(72) }),
            ("half-life 168 h", b with { HalfLife = TimeSpan.FromHours(168) }),
            ("launch boost 100 plays", b with { LaunchBoost = 100 }),
            ("launch boost 1,000 plays", b with { LaunchBoost = 1000 }),
            ("disk headroom 2 %", b with { DiskHeadroom = 0.02 }),
        ];
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"Push only, {b.Plays:N0} plays in {b.Days} days, seed {b.Seed}, embedded disk ")
            .Append(CultureInfo.InvariantCulture, $"{b.EmbeddedDiskShare:P0} of the catalog; one setting changed per row.\n\n")
            .Append("| setting | embedded offload | day-one offload of launches | transit TB | fill TB | health miss |\n")
            .Append("|---|---|---|---|---|---|\n");
        foreach (var (setting, options) in runs)
        {
            var sim = new Simulation(options).Run();
            var t = Program.Totals(sim)[0];
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {setting} | {t.EmbeddedShare:P1} | {t.DayOneOffload:P1} | {t.TransitTb:F1} | {t.FillTb:F1} | {t.HealthMissShare:P1} |\n");
            Console.Write("study: " + line);
            md.Append(line);
        }
        return md.ToString();
    }
}
