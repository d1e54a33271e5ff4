using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Popularity;

/// <summary>Decayed play counts at one instant, plus the launch boost: what the fill planner ranks titles by.</summary>
internal sealed class PopularityView(
    DateTimeOffset at,
    PopularityOptions options,
    IReadOnlyDictionary<string, double> global,
    IReadOnlyDictionary<string, Dictionary<string, double>> regions)
{
    public DateTimeOffset At => at;

    /// <summary>A view of counts decayed to <paramref name="at"/> (the fleet-wide ones the control plane reads back).</summary>
    public static PopularityView FromCounts(DateTimeOffset at, PopularityOptions options, IEnumerable<PopularityCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var global = new Dictionary<string, double>(StringComparer.Ordinal);
        var regions = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var count in counts)
        {
            var scores = global;
            if (count.Region != PopularityCount.Global && !regions.TryGetValue(count.Region, out scores))
            {
                regions[count.Region] = scores = new Dictionary<string, double>(StringComparer.Ordinal);
            }
            scores[count.TitleId] = scores.GetValueOrDefault(count.TitleId) + count.Score;
        }
        return new PopularityView(at, options, global, regions);
    }

    public IEnumerable<string> Regions => regions.Keys;

    /// <summary>The titles played in <paramref name="region"/>, with their decayed counts.</summary>
    public IEnumerable<KeyValuePair<string, double>> RegionalScores(string region) =>
        regions.TryGetValue(region, out var scores) ? scores : [];

    public double Global(string titleId) => global.GetValueOrDefault(titleId);

    public double Regional(string region, string titleId) =>
        regions.TryGetValue(region, out var scores) ? scores.GetValueOrDefault(titleId) : 0;

    /// <summary>The launch boost left at this instant: the title's (or the default) boost, halving every boost half-life since launch.</summary>
    public double Boost(CatalogTitle title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var boost = title.LaunchBoost > 0 ? title.LaunchBoost : options.DefaultLaunchBoost;
        if (boost <= 0)
        {
            return 0;
        }
        var age = Math.Max(0, (at - title.LaunchedAt).Ticks);
        return boost * Math.Pow(2, -(double)age / options.LaunchBoostHalfLife.Ticks);
    }

    /// <summary>Expected plays anywhere: the IX ranking.</summary>
    public double Expected(CatalogTitle title) => Global(title.TitleId) + Boost(title);

    /// <summary>Expected plays in one region: its own plays plus the <see cref="Baseline"/>.</summary>
    public double Expected(string region, CatalogTitle title) => Regional(region, title.TitleId) + Baseline(title);

    /// <summary>What any region expects before its own plays: a share of the global plays, and the launch boost.</summary>
    public double Baseline(CatalogTitle title) => (options.GlobalWeightInRegion * Global(title.TitleId)) + Boost(title);
}
