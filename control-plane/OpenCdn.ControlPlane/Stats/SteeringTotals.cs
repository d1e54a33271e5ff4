using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Stats;
using OpenCdn.Steering.Decisions;

namespace OpenCdn.ControlPlane.Stats;

/// <summary>
/// Steering outcomes for the whole fleet: each instance's decisions bump striped counters in memory (as
/// <c>/metrics</c> shows them); this service adds the difference since its previous flush to the catalog's totals.
/// </summary>
internal sealed class SteeringTotals(
    Steerer steerer, SteeringOutcomeStore store, IOptions<StatsOptions> options, TimeProvider time, ILogger<SteeringTotals> logger)
    : StatsFlusher(options, time, logger)
{
    private SteeringCounts _flushed = SteeringCounts.Zero; // this instance's counts already in the database (under the gate)

    protected override string What => "steering outcomes";

    /// <summary>Every instance's decisions by outcome, this one's not yet flushed included.</summary>
    public Task<SteeringCounts> ReadAsync(CancellationToken cancellationToken) => ReadAsync(
        async token => FromOutcomes(await store.ReadAsync(token)).Plus(steerer.Stats.Read().Minus(_flushed)), cancellationToken);

    protected override async Task WriteAsync(CancellationToken cancellationToken)
    {
        var counted = steerer.Stats.Read();
        await store.AddAsync(ToOutcomes(counted.Minus(_flushed)), cancellationToken);
        _flushed = counted;
    }

    /// <summary>Outcomes by the names <c>/metrics</c> gives them.</summary>
    private static Dictionary<string, long> ToOutcomes(SteeringCounts counts) => new(StringComparer.Ordinal)
    {
        ["hit"] = counts.Hits,
        ["content_miss"] = counts.ContentMisses,
        ["health_miss"] = counts.HealthMisses,
        ["other"] = counts.Other,
        ["unknown_title"] = counts.UnknownTitles,
    };

    private static SteeringCounts FromOutcomes(IReadOnlyDictionary<string, long> outcomes) => new(
        outcomes.GetValueOrDefault("hit"), outcomes.GetValueOrDefault("content_miss"), outcomes.GetValueOrDefault("health_miss"),
        outcomes.GetValueOrDefault("other"), outcomes.GetValueOrDefault("unknown_title"));
}
