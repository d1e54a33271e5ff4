using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenCdn.Testing;

namespace OpenCdn.Infra.Tests.Monitoring;

/// <summary>
/// The Grafana dashboard and the Prometheus rules in infra/monitoring use only series that real services expose (so
/// neither can drift from the code), the rules are valid and fire as their unit tests say, and the fleet gauge the
/// edge-down alarms read counts a killed edge as down.
/// </summary>
public sealed partial class MonitoringTests(MonitoredPlatform platform) : IClassFixture<MonitoredPlatform>
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "infra", "monitoring");

    /// <summary>Series Prometheus itself writes for every target; no service exposes them.</summary>
    private static readonly HashSet<string> PrometheusSeries = ["up"];

    [Fact]
    public async Task DashboardAndRules_UseOnlySeriesTheControlPlaneAndEdgesExpose()
    {
        var exposed = Exposition.Names(await platform.ControlPlaneMetricsAsync());
        exposed.UnionWith(Exposition.Names(await platform.EdgeMetricsAsync()));
        exposed.UnionWith(PrometheusSeries);
        exposed.UnionWith(await DeclaredOnFirstBeaconAsync());

        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "opencdn-dashboard.json")))!;
        var panelQueries = dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => (string)t!["expr"]!).ToList();
        var ruleQueries = RuleExpressions(await File.ReadAllTextAsync(Path.Combine(Folder, "opencdn-rules.yml")));
        Assert.True(panelQueries.Count >= 20, $"the dashboard has {panelQueries.Count} queries");
        Assert.True(ruleQueries.Count >= 8, $"the rules have {ruleQueries.Count} expressions");

        var used = panelQueries.Concat(ruleQueries).SelectMany(SeriesNames).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("opencdn_fleet_edges", used);
        Assert.Contains("opencdn_edge_served_bytes_total", used);
        var missing = used.Where(name => !exposed.Contains(name)).Order().ToList();
        Assert.True(missing.Count == 0, "used but exposed by no service: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task FleetGauge_CountsTheKilledEdgeDown_AndTheLiveOneHealthy()
    {
        var page = await Eventually.ValueAsync(platform.ControlPlaneMetricsAsync,
            p => Exposition.Value(p, "opencdn_fleet_edges{status=\"down\"}") == 1, "the killed edge counted down", TimeSpan.FromSeconds(30));

        Assert.Equal(1, Exposition.Value(page, "opencdn_fleet_edges{status=\"healthy\"}"));
        Assert.Equal(0, Exposition.Value(page, "opencdn_fleet_edges{status=\"draining\"}"));
        Assert.Equal(0, Exposition.Value(page, "opencdn_fleet_edges{status=\"degraded\"}"));
    }

    [Fact]
    public async Task Rules_PassPromtoolsCheck_AndTheirUnitTests()
    {
        const string promtool = "/usr/bin/promtool";
        Assert.True(File.Exists(promtool), "promtool is missing: apt-get install prometheus (test.sh installs it)");
        var check = await ChildProcess.RunAsync(promtool, ["check", "rules", Path.Combine(Folder, "opencdn-rules.yml")]);
        Assert.Contains("SUCCESS", check, StringComparison.Ordinal);
        var config = await ChildProcess.RunAsync(promtool, ["check", "config", "--syntax-only", Path.Combine(Folder, "prometheus.yml")]);
        Assert.Contains("SUCCESS", config, StringComparison.Ordinal);
        var tests = await ChildProcess.RunAsync(promtool, ["test", "rules", Path.Combine(Folder, "opencdn-rules.test.yml")]);
        Assert.Contains("SUCCESS", tests, StringComparison.Ordinal);
    }

    /// <summary>
    /// The QoE series: static fields of the QoE aggregator, declared at the first beacon (a player's session on a ready
    /// title), which this fixture has not got. They are read from their declarations instead, so a rename still shows.
    /// </summary>
    private static async Task<IEnumerable<string>> DeclaredOnFirstBeaconAsync()
    {
        var source = await File.ReadAllTextAsync(
            Path.Combine(RepoPaths.Root, "control-plane", "OpenCdn.ControlPlane", "Qoe", "QoeAggregator.cs"));
        var declared = Declarations().Matches(source).Select(m => (Kind: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(declared);
        return declared.SelectMany(d => d.Kind == "Histogram" ? [d.Name + "_bucket", d.Name + "_sum", d.Name + "_count"] : new[] { d.Name });
    }

    [GeneratedRegex(@"Create(Counter|Gauge|Histogram)\(\s*""(opencdn_\w+)""")]
    private static partial Regex Declarations();

    /// <summary>Every <c>expr:</c> of the rules file, single-line or a <c>|</c> block.</summary>
    private static List<string> RuleExpressions(string yaml)
    {
        var expressions = new List<string>();
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("expr:", StringComparison.Ordinal))
            {
                continue;
            }
            var value = trimmed["expr:".Length..].Trim();
            if (value == "|")
            {
                var indent = lines[i].Length - trimmed.Length;
                var block = lines.Skip(i + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent);
                value = string.Join(' ', block.Select(l => l.Trim()));
            }
            expressions.Add(value);
        }
        return expressions;
    }

    /// <summary>
    /// Metric names in a PromQL expression: identifiers that are not functions, keywords, label names or values,
    /// ranges, or Grafana variables.
    /// </summary>
    private static IEnumerable<string> SeriesNames(string query)
    {
        var bare = Grouping().Replace(Ranges().Replace(Strings().Replace(Selectors().Replace(query, "{}"), "\"\""), ""), "");
        return Identifiers().Matches(bare).Select(m => m.Value)
            .Where(name => !PromQlWords.Contains(name) && !name.StartsWith("__", StringComparison.Ordinal));
    }

    private static readonly HashSet<string> PromQlWords =
    [
        "sum", "max", "min", "avg", "count", "rate", "increase", "irate", "histogram_quantile", "by", "without", "on",
        "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "le", "offset", "abs", "clamp_min",
    ];

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Selectors();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Strings();

    /// <summary>An identifier not preceded by '$' (Grafana variables) and not followed by '(' (functions).</summary>
    [GeneratedRegex(@"(?<![\$\w])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w(])(?!\s*\()")]
    private static partial Regex Identifiers();
}
