using Microsoft.Extensions.Time.Testing;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Coordination;
using OpenCdn.Catalog.FillPlans;
using OpenCdn.Catalog.Popularity;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>
/// The planning lease, fleet-wide popularity and stored fill plans, run unchanged on SQLite (embedded) and PostgreSQL
/// (cloud): what lets several control-plane instances plan as one.
/// </summary>
public abstract class CoordinationStoreContract
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract Task<CatalogDatabase> DatabaseAsync();

    private async Task<CatalogDatabase> MigratedAsync()
    {
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        return database;
    }

    [Fact]
    public async Task Lease_IsHeldByOneHolderAtATime_AndRenewedByIt()
    {
        var leases = new LeaseStore(await MigratedAsync(), _clock);

        Assert.True(await leases.TryHoldAsync("planner", "a", Period, default));
        Assert.False(await leases.TryHoldAsync("planner", "b", Period, default));
        _clock.Advance(Period - TimeSpan.FromSeconds(1));
        Assert.True(await leases.TryHoldAsync("planner", "a", Period, default)); // renewed: good for another period
        _clock.Advance(Period - TimeSpan.FromSeconds(1));
        Assert.False(await leases.TryHoldAsync("planner", "b", Period, default));
        Assert.Equal("a", await leases.HolderAsync("planner", default));
        Assert.True(await leases.TryHoldAsync("other", "b", Period, default)); // leases are independent
    }

    [Fact]
    public async Task Lease_OfAHolderThatStopsRenewing_IsTakenOnceItExpires_AndTheOldHolderCannotRenewIt()
    {
        var leases = new LeaseStore(await MigratedAsync(), _clock);
        Assert.True(await leases.TryHoldAsync("planner", "a", Period, default));

        _clock.Advance(Period - TimeSpan.FromMilliseconds(1));
        Assert.False(await leases.TryHoldAsync("planner", "b", Period, default));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await leases.TryHoldAsync("planner", "b", Period, default));

        Assert.False(await leases.TryHoldAsync("planner", "a", Period, default));
        Assert.Equal("b", await leases.HolderAsync("planner", default));
    }

    [Fact]
    public async Task Lease_Released_IsFreeAtOnce_ButOnlyItsHolderReleasesIt()
    {
        var leases = new LeaseStore(await MigratedAsync(), _clock);
        Assert.True(await leases.TryHoldAsync("planner", "a", Period, default));

        await leases.ReleaseAsync("planner", "b", default);
        Assert.False(await leases.TryHoldAsync("planner", "b", Period, default));
        await leases.ReleaseAsync("planner", "a", default);
        Assert.Null(await leases.HolderAsync("planner", default));
        Assert.True(await leases.TryHoldAsync("planner", "b", Period, default));
    }

    [Fact]
    public async Task Lease_ContendedBySeveralHoldersAtOnce_GoesToExactlyOne()
    {
        var database = await MigratedAsync();
        for (var round = 0; round < 5; round++)
        {
            var name = $"race-{round}";
            var won = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
                () => new LeaseStore(database, _clock).TryHoldAsync(name, $"holder-{i}", Period, default))));
            Assert.Single(won, w => w);
        }
    }

    [Fact]
    public async Task Popularity_AddedByTwoInstances_SumsWithDecay()
    {
        var database = await MigratedAsync();
        var a = new PopularityStore(database);
        var b = new PopularityStore(database);
        var t0 = _clock.GetUtcNow();

        await a.AddAsync([new("", "t1", 10), new("isp:a", "t1", 10)], t0, HalfLife, default);
        await b.AddAsync([new("", "t1", 4), new("", "t2", 1)], t0 + HalfLife, HalfLife, default);
        await a.AddAsync([new("", "t1", 8)], t0, HalfLife, default); // late: counted at the time it refers to

        var scores = (await a.ReadAsync(t0 + HalfLife, HalfLife, default)).ToDictionary(s => (s.Region, s.TitleId), s => s.Score);
        Assert.Equal(5 + 4 + 4, scores[("", "t1")], 6);
        Assert.Equal(1, scores[("", "t2")], 6);
        Assert.Equal(5, scores[("isp:a", "t1")], 6);
        var later = (await b.ReadAsync(t0 + (3 * HalfLife), HalfLife, default)).ToDictionary(s => (s.Region, s.TitleId), s => s.Score);
        Assert.Equal(13 / 4.0, later[("", "t1")], 6);
    }

    [Fact]
    public async Task Popularity_ConcurrentAddsToOneTitle_AreNeverLost()
    {
        var database = await MigratedAsync();
        var at = _clock.GetUtcNow();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(
            () => new PopularityStore(database).AddAsync([new("", "hot", 1), new("", $"own-{i}", 1)], at, HalfLife, default))));

        var scores = await new PopularityStore(database).ReadAsync(at, HalfLife, default);
        Assert.Equal(20, scores.Single(s => s.TitleId == "hot").Score, 6);
        Assert.Equal(21, scores.Count);
    }

    [Fact]
    public async Task Popularity_ManyTitlesInOneFlush_AreAllStored_AndFadedOnesAreForgotten()
    {
        var store = new PopularityStore(await MigratedAsync());
        var t0 = _clock.GetUtcNow();
        await store.AddAsync([.. Enumerable.Range(0, 1234).Select(i => new PopularityScore("", $"t{i}", i + 1))], t0, HalfLife, default);
        await store.AddAsync([new("", "fresh", 1)], t0 + TimeSpan.FromDays(3), HalfLife, default);

        Assert.Equal(1235, (await store.ReadAsync(t0, HalfLife, default)).Count);
        Assert.Equal(1234, await store.ForgetOlderThanAsync(t0 + TimeSpan.FromDays(1), default));
        Assert.Equal("fresh", Assert.Single(await store.ReadAsync(t0, HalfLife, default)).TitleId);
    }

    [Fact]
    public async Task FillPlans_AreWrittenOnlyUnderTheLease_AndReadBackByRevision()
    {
        var database = await MigratedAsync();
        var leases = new LeaseStore(database, _clock);
        var plans = new FillPlanStore(database, _clock);
        var lease = new PlanLease("planner", "a", Period);
        var cut = new StoredCut("ix/100", 1, _clock.GetUtcNow(), [new("t1", 2), new("t2", 1)]);

        Assert.Equal(PlanWriteOutcome.LeaseLost, await plans.WriteAsync(lease, 0, [cut], [new("e1", "ix/100")], 1, default));
        Assert.True(await leases.TryHoldAsync("planner", "a", Period, default));
        Assert.Equal(PlanWriteOutcome.Written, await plans.WriteAsync(lease, 0, [cut], [new("e1", "ix/100"), new("e2", "ix/100")], 1, default));

        var all = await plans.ReadChangedSinceAsync(0, default);
        Assert.Equal(1, all.Revision);
        Assert.Equal(cut.Packages, Assert.Single(all.Cuts).Packages);
        Assert.Equal(["e1", "e2"], all.Edges.Select(e => e.EdgeId).Order());
        Assert.Empty((await plans.ReadChangedSinceAsync(1, default)).Cuts);

        // A writer that planned from revision 0 after revision 1 was stored would reuse its versions: refused.
        Assert.Equal(PlanWriteOutcome.Stale, await plans.WriteAsync(lease, 0, [cut with { Version = 1 }], [], 1, default));
        Assert.Equal(PlanWriteOutcome.Written, await plans.WriteAsync(lease, 1, [], [new("e2", null)], 2, default));
        var removed = await plans.ReadChangedSinceAsync(1, default);
        Assert.Equal(2, removed.Revision);
        Assert.Equal(new StoredEdgeCut("e2", null), Assert.Single(removed.Edges));

        var fleet = Enumerable.Range(0, 1234).Select(i => new StoredEdgeCut($"fleet-{i}", "ix/100")).ToArray();
        Assert.Equal(PlanWriteOutcome.Written, await plans.WriteAsync(lease, 2, [], fleet, 3, default));
        Assert.Equal(1234, (await plans.ReadChangedSinceAsync(2, default)).Edges.Count);

        _clock.Advance(Period);
        Assert.True(await leases.TryHoldAsync("planner", "b", Period, default));
        Assert.Equal(PlanWriteOutcome.LeaseLost, await plans.WriteAsync(lease, 3, [cut with { Version = 4 }], [], 4, default));
    }
}
