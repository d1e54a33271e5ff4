using Dapper;

namespace OpenCdn.Catalog.Stats;

/// <summary>
/// Player QoE sums and histogram bucket counts, summed over every control-plane instance and every restart. Each
/// instance adds what it took since its previous flush, as atomic increments in one transaction.
/// </summary>
public sealed class QoeStatsStore(CatalogDatabase database)
{
    private const string Startup = "startup";
    private const string Stall = "stall";

    /// <summary>Adds each row's sums and bucket counts to the stored ones (a row not stored yet starts at zero).</summary>
    public async Task AddAsync(IEnumerable<QoeCounters> deltas, CancellationToken cancellationToken)
    {
        // A fixed order: concurrent flushes from several instances take the rows' locks in the same order (no deadlock).
        var rows = deltas.OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        var buckets = rows.SelectMany(r => Buckets(r, Startup, r.StartupBuckets).Concat(Buckets(r, Stall, r.StallBuckets))).ToList();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO qoe_totals (scope, name, beacons, plays, startup_ms_sum, stalls, stall_ms_sum, bitrate_switches,
                throughput_samples, throughput_kbps_sum)
            VALUES (@Scope, @Name, @Beacons, @Plays, @StartupMsSum, @Stalls, @StallMsSum, @BitrateSwitches, @ThroughputSamples,
                @ThroughputKbpsSum)
            ON CONFLICT (scope, name) DO UPDATE SET
                beacons = qoe_totals.beacons + excluded.beacons,
                plays = qoe_totals.plays + excluded.plays,
                startup_ms_sum = qoe_totals.startup_ms_sum + excluded.startup_ms_sum,
                stalls = qoe_totals.stalls + excluded.stalls,
                stall_ms_sum = qoe_totals.stall_ms_sum + excluded.stall_ms_sum,
                bitrate_switches = qoe_totals.bitrate_switches + excluded.bitrate_switches,
                throughput_samples = qoe_totals.throughput_samples + excluded.throughput_samples,
                throughput_kbps_sum = qoe_totals.throughput_kbps_sum + excluded.throughput_kbps_sum
            """, rows.Select(r => new
            {
                r.Scope,
                r.Name,
                r.Beacons,
                r.Plays,
                r.StartupMsSum,
                r.Stalls,
                r.StallMsSum,
                r.BitrateSwitches,
                r.ThroughputSamples,
                r.ThroughputKbpsSum,
            }), transaction, cancellationToken: cancellationToken));
        if (buckets.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO qoe_buckets (scope, name, measure, bucket, samples) VALUES (@Scope, @Name, @Measure, @Bucket, @Samples)
                ON CONFLICT (scope, name, measure, bucket) DO UPDATE SET samples = qoe_buckets.samples + excluded.samples
                """, buckets, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every stored row with its histograms (<paramref name="buckets"/> buckets each; a higher stored index counts in the last).</summary>
    public async Task<IReadOnlyList<QoeCounters>> ReadAsync(int buckets, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var totals = await connection.QueryAsync<TotalRow>(new CommandDefinition(
            """
            SELECT scope AS Scope, name AS Name, beacons AS Beacons, plays AS Plays, startup_ms_sum AS StartupMsSum, stalls AS Stalls,
                stall_ms_sum AS StallMsSum, bitrate_switches AS BitrateSwitches, throughput_samples AS ThroughputSamples,
                throughput_kbps_sum AS ThroughputKbpsSum
            FROM qoe_totals
            """, cancellationToken: cancellationToken));
        var histograms = new Dictionary<(string, string, string), long[]>();
        foreach (var row in await connection.QueryAsync<BucketRow>(new CommandDefinition(
            "SELECT scope AS Scope, name AS Name, measure AS Measure, bucket AS Bucket, samples AS Samples FROM qoe_buckets",
            cancellationToken: cancellationToken)))
        {
            if (!histograms.TryGetValue((row.Scope, row.Name, row.Measure), out var counts))
            {
                histograms[(row.Scope, row.Name, row.Measure)] = counts = new long[buckets];
            }
            counts[Math.Clamp((int)row.Bucket, 0, buckets - 1)] += row.Samples;
        }
        return [.. totals.Select(t => new QoeCounters(
            t.Scope, t.Name, t.Beacons, t.Plays, t.StartupMsSum, Histogram(t, Startup), t.Stalls, t.StallMsSum, Histogram(t, Stall),
            t.BitrateSwitches, t.ThroughputSamples, t.ThroughputKbpsSum))];

        long[] Histogram(TotalRow row, string measure) => histograms.GetValueOrDefault((row.Scope, row.Name, measure)) ?? new long[buckets];
    }

    private static IEnumerable<BucketRow> Buckets(QoeCounters row, string measure, IReadOnlyList<long> counts) =>
        counts.Select(
                (samples, bucket) => new BucketRow { Scope = row.Scope, Name = row.Name, Measure = measure, Bucket = bucket, Samples = samples })
            .Where(b => b.Samples != 0);

    /// <summary>Rows as Dapper reads them: settable properties, so number types may differ between SQLite and PostgreSQL.</summary>
    private sealed class TotalRow
    {
        public string Scope { get; set; } = "";
        public string Name { get; set; } = "";
        public long Beacons { get; set; }
        public long Plays { get; set; }
        public double StartupMsSum { get; set; }
        public long Stalls { get; set; }
        public double StallMsSum { get; set; }
        public long BitrateSwitches { get; set; }
        public long ThroughputSamples { get; set; }
        public double ThroughputKbpsSum { get; set; }
    }

    private sealed class BucketRow
    {
        public string Scope { get; set; } = "";
        public string Name { get; set; } = "";
        public string Measure { get; set; } = "";
        public long Bucket { get; set; }
        public long Samples { get; set; }
    }
}
