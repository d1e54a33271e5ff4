using OpenCdn.Catalog;
using OpenCdn.Catalog.Stats;

namespace OpenCdn.ControlPlane.Tests.Stats;

/// <summary>
/// The fleet's statistics in the catalog, run unchanged on SQLite (embedded) and PostgreSQL (cloud): what two instances
/// add, at the same moment and in many flushes, sums exactly.
/// </summary>
public abstract class StatsStoreContract
{
    private const int Flushes = 40;

    /// <summary>A connection string to a new, empty catalog; every call to <see cref="OpenAsync"/> with it is another instance.</summary>
    protected abstract Task<string> NewCatalogAsync();

    private static async Task<CatalogDatabase> OpenAsync(string catalog)
    {
        var database = CatalogDatabase.Create(catalog);
        await database.MigrateAsync(default);
        return database;
    }

    [Fact]
    public async Task SteeringOutcomes_AddedByTwoInstancesAtOnce_SumExactly()
    {
        var catalog = await NewCatalogAsync();
        await using var a = await OpenAsync(catalog);
        await using var b = await OpenAsync(catalog);
        var first = new SteeringOutcomeStore(a);
        var second = new SteeringOutcomeStore(b);

        await Task.WhenAll(
            Task.Run(() => RepeatAsync(() => first.AddAsync(new Dictionary<string, long> { ["hit"] = 2, ["other"] = 1 }, default))),
            Task.Run(() => RepeatAsync(() => second.AddAsync(new Dictionary<string, long> { ["hit"] = 3, ["content_miss"] = 1 }, default))));
        var totals = await first.ReadAsync(default);

        Assert.Equal(5 * Flushes, totals["hit"]);
        Assert.Equal(Flushes, totals["other"]);
        Assert.Equal(Flushes, totals["content_miss"]);
        Assert.False(totals.ContainsKey("health_miss"));
    }

    [Fact]
    public async Task QoeCounters_AddedByTwoInstancesAtOnce_SumTheirSumsAndBucketCounts()
    {
        var catalog = await NewCatalogAsync();
        await using var a = await OpenAsync(catalog);
        await using var b = await OpenAsync(catalog);
        var first = new QoeStatsStore(a);
        var second = new QoeStatsStore(b);
        QoeCounters[] fromA = [Row("total", "", 640.5, [0, 0, 1, 0]), Row("title", "t1", 640.5, [0, 0, 1, 0])];
        QoeCounters[] fromB =
            [Row("total", "", 300, [0, 1, 0, 0]), Row("title", "t1", 300, [0, 1, 0, 0]), Row("server", "origin", 300, [0, 1, 0, 0])];

        await Task.WhenAll(
            Task.Run(() => RepeatAsync(() => first.AddAsync(fromA, default))),
            Task.Run(() => RepeatAsync(() => second.AddAsync(fromB, default))));
        var rows = (await second.ReadAsync(4, default)).ToDictionary(r => (r.Scope, r.Name));

        var total = rows[("total", "")];
        Assert.Equal(2 * Flushes, total.Beacons);
        Assert.Equal(2 * Flushes, total.Plays);
        Assert.Equal(940.5 * Flushes, total.StartupMsSum, 6);
        Assert.Equal([0, Flushes, Flushes, 0], total.StartupBuckets);
        Assert.Equal([0, 0, 0, 4 * Flushes], total.StallBuckets);
        Assert.Equal(4 * Flushes, total.Stalls);
        Assert.Equal(6 * Flushes, total.BitrateSwitches);
        Assert.Equal(2 * Flushes, total.ThroughputSamples);
        Assert.Equal(24_000.0 * Flushes, total.ThroughputKbpsSum, 6);
        Assert.Equal(Sums(total), Sums(rows[("title", "t1")]));
        Assert.Equal(Flushes, rows[("server", "origin")].Beacons);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task QoeCounters_ReadWithFewerBuckets_CountHigherBucketsInTheLast()
    {
        await using var database = await OpenAsync(await NewCatalogAsync());
        var store = new QoeStatsStore(database);

        await store.AddAsync([Row("total", "", 100, [1, 0, 0, 4])], default);
        var row = Assert.Single(await store.ReadAsync(2, default));

        Assert.Equal([1, 4], row.StartupBuckets);
    }

    private static async Task RepeatAsync(Func<Task> flush)
    {
        for (var i = 0; i < Flushes; i++)
        {
            await flush();
        }
    }

    /// <summary>One beacon's worth: a play with a startup time, two stalls in the last bucket, three switches, one throughput sample.</summary>
    private static QoeCounters Row(string scope, string name, double startupMs, long[] startupBuckets) =>
        new(scope, name, 1, 1, startupMs, startupBuckets, 2, 9000, [0, 0, 0, 2], 3, 1, 12_000);

    /// <summary>A row's numbers as text, its arrays by value.</summary>
    private static string Sums(QoeCounters row) =>
        $"{row.Beacons} {row.Plays} {row.StartupMsSum} [{string.Join(',', row.StartupBuckets)}] {row.Stalls} {row.StallMsSum} "
        + $"[{string.Join(',', row.StallBuckets)}] {row.BitrateSwitches} {row.ThroughputSamples} {row.ThroughputKbpsSum}";
}
