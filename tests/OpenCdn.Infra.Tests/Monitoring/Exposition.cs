using System.Globalization;

namespace OpenCdn.Infra.Tests.Monitoring;

/// <summary>A Prometheus text page read back: every series name it declares, and the value of one series.</summary>
internal static class Exposition
{
    /// <summary>
    /// Names a query may use against this page: every <c># TYPE</c> name, and for histograms and summaries the
    /// <c>_bucket</c>/<c>_sum</c>/<c>_count</c> series (a labelled metric declares itself before its first sample).
    /// </summary>
    public static HashSet<string> Names(string page)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in page.Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length < 4 || parts[0] != "#" || parts[1] != "TYPE")
            {
                continue;
            }
            names.Add(parts[2]);
            string[] suffixes = parts[3] switch
            {
                "histogram" => ["_bucket", "_sum", "_count"],
                "summary" => ["_sum", "_count"],
                _ => [],
            };
            names.UnionWith(suffixes.Select(s => parts[2] + s));
        }
        return names;
    }

    /// <summary>The value of the sample written exactly as <paramref name="series"/> (name and labels), or null.</summary>
    public static double? Value(string page, string series) =>
        page.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => (double?)double.Parse(l[(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
