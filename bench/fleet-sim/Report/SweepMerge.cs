using System.Globalization;
using System.Text;

namespace OpenCdn.FleetSim.Report;

/// <summary>
/// Joins the tables of several <c>--sweep-only</c> runs (one disk size each, run side by side as separate processes)
/// into one table and the offload-against-disk plot.
/// </summary>
internal static class SweepMerge
{
    public static void Write(string folder, IEnumerable<string> runFolders)
    {
        string[] names = [];
        var rows = new List<string[]>();
        var commands = new List<string>();
        foreach (var run in runFolders)
        {
            var lines = File.ReadAllLines(Path.Combine(run, "sweep.md"));
            commands.Add(lines[0]);
            names = [.. lines.First(l => l.StartsWith("| embedded disk", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)
                .Skip(2).Where(n => n.EndsWith(" offload", StringComparison.Ordinal)).Select(n => n[..^" offload".Length])];
            rows.AddRange(lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))
                .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]));
        }
        rows.Sort((a, b) => Number(a[0]).CompareTo(Number(b[0])));
        var chart = new SvgChart("Embedded offload against embedded disk size", "embedded disk (% of the catalog's bytes)",
            "embedded offload (%)")
        { YMin = 0, YMax = 100 };
        for (var n = 0; n < names.Length; n++)
        {
            chart.Add(names[n], rows.Select(r => (Number(r[0]), Number(r[1 + n]))));
        }
        File.WriteAllText(Path.Combine(folder, "offload-vs-disk.svg"), chart.Render());
        var md = new StringBuilder();
        foreach (var command in commands)
        {
            md.Append(command).Append("\n\n");
        }
        md.Append("| embedded disk | ").Append(string.Join(" | ", names.Select(n => $"{n} offload")))
            .Append(" | push transit TB | LRU transit TB |\n|---|").Append(string.Concat(names.Select(_ => "---|"))).Append("---|---|\n");
        foreach (var row in rows)
        {
            md.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        }
        File.WriteAllText(Path.Combine(folder, "sweep.md"), md.ToString());
    }

    private static double Number(string cell) =>
        double.Parse(cell.Replace("%", "", StringComparison.Ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
