using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Stats;
using OpenCdn.ControlPlane.Qoe;

namespace OpenCdn.ControlPlane.Stats;

/// <summary>
/// QoE for the whole fleet: beacons add up in memory per instance (<see cref="QoeAggregator"/>); this service moves
/// what piled up since its previous flush into the catalog's totals, as sums and bucket counts that add up exactly.
/// </summary>
internal sealed class QoeTotals(
    QoeAggregator aggregator, QoeStatsStore store, IOptions<StatsOptions> options, TimeProvider time, ILogger<QoeTotals> logger)
    : StatsFlusher(options, time, logger)
{
    protected override string What => "QoE beacons";

    /// <summary>Every instance's beacons, this one's not yet flushed included.</summary>
    public Task<QoeReport> ReportAsync(CancellationToken cancellationToken) => ReadAsync(
        async token => QoeReportBuilder.Build([.. await store.ReadAsync(QoeStats.BucketCount, token), .. aggregator.Pending()]),
        cancellationToken);

    protected override async Task WriteAsync(CancellationToken cancellationToken)
    {
        var taken = aggregator.Take();
        try
        {
            await store.AddAsync(taken, cancellationToken);
        }
        catch
        {
            aggregator.Restore(taken); // not stored: it goes with the next flush
            throw;
        }
    }
}
