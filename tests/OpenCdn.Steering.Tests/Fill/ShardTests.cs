using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fill;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Fill;

/// <summary>
/// The edges of one group split the catalog between them (<see cref="FillOptions.ShardWithinGroup"/>): each title on as
/// many edges as its demand needs, chosen by rendezvous hashing, stable across replans, moved when its edge leaves.
/// </summary>
public sealed class ShardTests
{
    private const long MB = 1_000_000;
    private const string Region = "isp:acme";

    /// <summary>An ISP of <paramref name="edges"/> edges with room for <paramref name="slots"/> 1-MB titles each.</summary>
    private static FleetFixture Isp(int edges, int slots, int titles)
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog(Enumerable.Range(0, titles).Select(i => Title($"t{i:D3}", MB)));
        for (var e = 0; e < edges; e++)
        {
            fleet.Add(Edge($"e{e:D2}", EdgeSiteKind.Embedded, ["10.0.0.0/8"], isp: "acme", diskBytes: slots * MB));
        }
        return fleet;
    }

    /// <summary>Zipf-like plays over the catalog: title i gets about <paramref name="top"/> / (i + 1).</summary>
    private static void ZipfPlays(FleetFixture fleet, int titles, int top)
    {
        for (var i = 0; i < titles; i++)
        {
            Plays(fleet, $"t{i:D3}", Math.Max(1, top / (i + 1)));
        }
    }

    private static void Plays(FleetFixture fleet, string titleId, int count)
    {
        for (var p = 0; p < count; p++)
        {
            fleet.Popularity.Record(titleId, Region, fleet.Time.GetUtcNow().UtcTicks);
        }
    }

    private static Dictionary<string, HashSet<string>> Holdings(IReadOnlyDictionary<string, EdgeAssignment> plans) =>
        plans.ToDictionary(p => p.Key, p => p.Value.Titles.Select(t => t.TitleId).ToHashSet(), StringComparer.Ordinal);

    private static FillOptions Options(bool shard = true) => new() { DiskHeadroom = 0, ShardWithinGroup = shard };

    [Fact]
    public void TheEdgesOfAnIsp_SplitTheCatalog_SoTheIspHoldsMoreDistinctTitlesThanOneDisk()
    {
        var fleet = Isp(edges: 10, slots: 10, titles: 300);
        ZipfPlays(fleet, 300, 600);
        var snapshot = fleet.Builder.Build();

        var sharded = new FillPlanner(Options()).Plan(snapshot, fleet.Popularity.Snapshot());
        var shared = new FillPlanner(Options(shard: false)).Plan(snapshot, fleet.Popularity.Snapshot());

        Assert.All(sharded.Values, a => Assert.True(a.Bytes <= 10 * MB, $"{a.EdgeId} over its disk: {a.Bytes}"));
        Assert.All(sharded.Values, a => Assert.Equal(10, a.Titles.Length)); // every disk full
        var distinct = sharded.Values.SelectMany(a => a.Titles).Select(t => t.TitleId).Distinct().ToArray();
        Assert.True(distinct.Length >= 90, $"the ISP holds {distinct.Length} distinct titles on 100 slots");
        Assert.Equal(10, shared.Values.SelectMany(a => a.Titles).Select(t => t.TitleId).Distinct().Count()); // the old way: one disk's worth
        Assert.Contains("t000", distinct);
        Assert.DoesNotContain(Holdings(sharded).Values, h => h.Contains("t150")); // far below the ISP's room
        // Each edge has its own cut, so each its own version.
        Assert.Equal(10, sharded.Values.Select(a => a.Version).Distinct().Count());
    }

    [Fact]
    public void ATitle_GetsAsManyCopiesAsItsDemandNeeds_OnItsHighestRendezvousEdges()
    {
        var fleet = Isp(edges: 10, slots: 20, titles: 100);
        ZipfPlays(fleet, 100, 20);
        Plays(fleet, "t050", 60); // about 30 % of the ISP's bytes: 0.3 × 10 edges / 0.5 → 6 copies
        var snapshot = fleet.Builder.Build();

        var plans = new FillPlanner(Options()).Plan(snapshot, fleet.Popularity.Snapshot());

        var holders = Holdings(plans).Where(h => h.Value.Contains("t050")).Select(h => h.Key).Order(StringComparer.Ordinal).ToArray();
        var view = fleet.Popularity.Snapshot();
        var titles = snapshot.Catalog.Current;
        var share = view.Expected(Region, titles.Single(t => t.TitleId == "t050")) / titles.Sum(t => view.Expected(Region, t));
        var replicas = (int)Math.Ceiling(share * 10 / 0.5);
        Assert.InRange(replicas, 4, 9);
        var expected = plans.Keys.OrderByDescending(id => Rendezvous.Score(id, "t050")).Take(replicas).Order(StringComparer.Ordinal);
        Assert.Equal(expected, holders);
        // A cold title has one copy.
        Assert.Single(Holdings(plans).Values, h => h.Contains("t099"));
    }

    [Fact]
    public void Plans_StayPut_WhenPopularityChangesALittle()
    {
        var fleet = Isp(edges: 8, slots: 10, titles: 200);
        ZipfPlays(fleet, 200, 1000);
        var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0 });
        var before = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        var random = new Random(3);
        for (var n = 0; n < 60; n++)
        {
            Plays(fleet, $"t{random.Next(200):D3}", 1 + random.Next(3)); // a little noise all over the catalog
        }
        var after = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        var moved = before.Sum(p => p.Value.Titles.Select(t => t.TitleId).Except(after[p.Key].Titles.Select(t => t.TitleId)).Count());
        Assert.Equal(0, moved);
        Assert.All(before, p => Assert.Equal(p.Value.Version, after[p.Key].Version));
    }

    [Fact]
    public void ANewHit_TakesTheRoomOfTheLeastValuableHeldTitle_AndNoHeldTitleMovesToAnotherEdge()
    {
        // Full disks: a new title must push one out. Moving the displaced title to another edge would push that edge's
        // last title out in turn, each move an eviction and a fill; it leaves the group instead.
        var fleet = Isp(edges: 4, slots: 5, titles: 40);
        ZipfPlays(fleet, 40, 400);
        var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0 });
        var before = Holdings(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()));
        Assert.Equal(20, before.Values.Sum(h => h.Count));

        for (var hit = 0; hit < 4; hit++)
        {
            fleet.Builder.Upsert(Title($"new{hit}", MB));
            Plays(fleet, $"new{hit}", 100);
        }
        var after = Holdings(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()));

        var hits = Enumerable.Range(0, 4).Select(h => $"new{h}").ToArray();
        Assert.All(hits, h => Assert.Single(after.Values, held => held.Contains(h)));
        var moved = after.SelectMany(p => p.Value.Where(t => !before[p.Key].Contains(t) && before.Values.Any(h => h.Contains(t)))).ToArray();
        Assert.Empty(moved);
        var left = before.Values.SelectMany(h => h).Except(after.Values.SelectMany(h => h)).ToArray();
        Assert.Equal(4, left.Length); // one title out per hit in
    }

    [Fact]
    public void ADepartedEdgesTitles_MoveToTheirNextRendezvousChoice_AndTheOtherEdgesKeepTheirs()
    {
        var fleet = Isp(edges: 4, slots: 8, titles: 100);
        ZipfPlays(fleet, 100, 2000);
        var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0 });
        var before = Holdings(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()));
        var gone = "e02";
        var top = Enumerable.Range(0, 8).Select(i => $"t{i:D3}").Where(before[gone].Contains).ToArray();
        Assert.NotEmpty(top);

        fleet.Builder.Remove(gone);
        var change = planner.Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());
        planner.Install(change.Book);
        var after = Holdings(change.Book.Assignments);

        Assert.Contains(new KeyValuePair<string, string?>(gone, null), change.Edges);
        Assert.DoesNotContain(gone, after.Keys);
        foreach (var title in top)
        {
            var next = after.Keys.OrderByDescending(id => Rendezvous.Score(id, title)).First();
            Assert.True(after[next].Contains(title), $"{title} is not on its next choice {next}");
        }
        foreach (var (edge, titles) in after)
        {
            var lost = before[edge].Except(titles).ToArray();
            Assert.True(lost.Length <= top.Length, $"{edge} lost {string.Join(",", lost)} for the {top.Length} titles that moved");
        }
    }

    [Fact]
    public void AnExchangeWhoseDisksHoldTheCatalogTwice_HoldsEveryTitleTwice()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog(Enumerable.Range(0, 50).Select(i => Title($"t{i:D3}", MB)));
        var at = new Steering.Fleet.GeoPoint(52.37, 4.90);
        for (var e = 0; e < 5; e++)
        {
            fleet.Builder.Register(Edge($"ix{e}", EdgeSiteKind.IX, [], at, diskBytes: 20 * MB)); // 5 × 20 slots = twice 50
        }

        var plans = new FillPlanner(Options()).Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        var copies = plans.Values.SelectMany(a => a.Titles).GroupBy(t => t.TitleId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(50, copies.Count);
        Assert.All(copies.Values, c => Assert.Equal(2, c));
        Assert.All(plans.Values, a => Assert.True(a.Bytes <= 20 * MB));
    }

    [Fact]
    public void EveryCopyOfATitle_ListsTheSameSeeder_SoTheIspFetchesItFromOriginOnce()
    {
        var fleet = Isp(edges: 6, slots: 40, titles: 100); // room for 2.4 copies of everything
        var planner = new FillPlanner(Options());
        var snapshot = fleet.Builder.Build();
        var plans = planner.Plan(snapshot, fleet.Popularity.Snapshot());
        var now = fleet.Time.GetUtcNow().UtcTicks;

        foreach (var title in snapshot.Catalog.Current)
        {
            var holders = plans.Values.Where(a => a.Lists(title)).Select(a => a.EdgeId).ToArray();
            Assert.True(holders.Length >= 2, $"{title.TitleId} has {holders.Length} copies");
            var items = holders.Select(id => planner.Materialize(snapshot, plans[id], (t, v, f) => new Uri($"https://o/{t}/{f.Name}"),
                (peer, t) => peer, now).Items.Single(i => i.TitleId == title.TitleId)).ToArray();
            var seeders = items.Where(i => i.Sources is [{ Kind: FillSourceKind.Origin, NotBefore: null }]).ToArray();
            Assert.Single(seeders); // one copy from origin, N−1 from it
            Assert.All(items.Except(seeders), i => Assert.Equal(FillSourceKind.Peer, i.Sources[0].Kind));
        }
    }
}
