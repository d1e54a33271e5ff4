using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Fill;

public sealed class FillPlannerTests
{
    private const long MB = 1_000_000;
    private static readonly FillOptions NoHeadroom = new() { DiskHeadroom = 0 };

    private static Uri OriginUrl(string titleId, int version, FillFile file) => new($"https://origin.example/{titleId}/v{version}/{file.Name}?sig=x");

    private static void Plays(FleetFixture fleet, string titleId, string region, int count)
    {
        for (var i = 0; i < count; i++)
        {
            fleet.Popularity.Record(titleId, region, fleet.Time.GetUtcNow().UtcTicks);
        }
    }

    private static string[] Planned(IReadOnlyDictionary<string, EdgeAssignment> plans, string edgeId) =>
        [.. plans[edgeId].Titles.Select(t => t.TitleId)];

    [Fact]
    public void Capacity_IsNeverExceeded_OnRandomFleets()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var fleet = new FleetFixture();
            // Small byte counts so that off-by-one overfills show.
            var titles = Enumerable.Range(0, random.Next(1, 300)).Select(i => Title($"t{i}", random.Next(1, 50))).ToArray();
            fleet.Builder.SetCatalog(titles);
            for (var e = 0; e < random.Next(1, 20); e++)
            {
                var kind = random.Next(2) == 0 ? EdgeSiteKind.IX : EdgeSiteKind.Embedded;
                fleet.Builder.Register(Edge($"e{e}", kind, [], isp: $"isp{random.Next(3)}", diskBytes: random.Next(0, 4_000)));
            }
            for (var p = 0; p < 500; p++)
            {
                fleet.Popularity.Record($"t{random.Next(titles.Length)}", $"isp:isp{random.Next(3)}", fleet.Time.GetUtcNow().UtcTicks);
            }
            var options = new FillOptions { DiskHeadroom = random.Next(2) * random.NextDouble() * 0.3, MaxConsecutiveMisfits = 1 + random.Next(10) };
            var snapshot = fleet.Builder.Build();

            var plans = new FillPlanner(options).Plan(snapshot, fleet.Popularity.Snapshot());

            foreach (var edge in snapshot.Edges)
            {
                var plan = plans[edge.Descriptor.Id];
                Assert.True(plan.Bytes <= edge.Descriptor.DiskCapacityBytes * (1 - options.DiskHeadroom), $"seed {seed}, {edge.Descriptor.Id}");
                Assert.Equal(plan.Titles.Length, plan.Titles.Select(t => t.TitleId).Distinct().Count());
                if (edge.Descriptor.SiteKind == EdgeSiteKind.IX
                    && titles.Sum(t => t.SizeBytes) <= (long)(edge.Descriptor.DiskCapacityBytes * (1 - options.DiskHeadroom)))
                {
                    Assert.Equal(titles.Length, plan.Titles.Length);
                }
            }
        }
    }

    [Fact]
    public void IxEdge_TakesTheWholeCatalog_WhenItFits_MostPopularFirst()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 200 * MB), Title("c", 300 * MB)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 600 * MB));
        Plays(fleet, "c", "r", 5);
        Plays(fleet, "a", "r", 2);

        var plans = new FillPlanner(NoHeadroom).Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.Equal(["c", "a", "b"], Planned(plans, "ix"));
    }

    [Fact]
    public void IxEdge_WhenTheCatalogDoesNotFit_KeepsTheMostPopular_AndRespectsHeadroom()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 100 * MB), Title("c", 100 * MB)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 300 * MB));
        Plays(fleet, "b", "r", 3);
        Plays(fleet, "c", "r", 2);

        var plans = new FillPlanner(new FillOptions { DiskHeadroom = 0.10 }).Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.Equal(["b", "c"], Planned(plans, "ix"));
    }

    [Fact]
    public void EmbeddedEdge_TakesWhatItsRegionPlays_ByPlaysPerByte()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog(
            [Title("global-hit", 100 * MB), Title("local-big", 400 * MB), Title("local-small", 50 * MB), Title("cold", 10 * MB)]);
        fleet.Builder.Register(Edge("emb", EdgeSiteKind.Embedded, [], isp: "acme", diskBytes: 160 * MB));
        Plays(fleet, "global-hit", "isp:other", 100); // counts 10 % in acme: 10 plays / 100 MB
        Plays(fleet, "local-big", "isp:acme", 30);    // 30 plays / 400 MB: 0.075 per MB
        Plays(fleet, "local-small", "isp:acme", 25);  // 25 plays / 50 MB: 0.5 per MB

        var plans = new FillPlanner(NoHeadroom).Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.Equal(["local-small", "global-hit", "cold"], Planned(plans, "emb"));
    }

    [Fact]
    public void LaunchBoost_PutsANewTitleAhead_UntilItFades()
    {
        var fleet = new FleetFixture();
        var launch = fleet.Time.GetUtcNow();
        fleet.Builder.SetCatalog([Title("catalog", 100 * MB), Title("premiere", 100 * MB, boost: 8, launched: launch)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 100 * MB));
        Plays(fleet, "catalog", "r", 3);
        var planner = new FillPlanner(NoHeadroom);

        Assert.Equal(["premiere"], Planned(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()), "ix"));

        fleet.Time.Advance(TimeSpan.FromDays(4)); // boost 8 → 2 (2-day half-life); plays 3 → 0.1875 (1-day)
        Plays(fleet, "catalog", "r", 3);
        Assert.Equal(["catalog"], Planned(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()), "ix"));
    }

    [Fact]
    public void Version_MovesOnlyWhenTheContentChanges_AndRetiredTitlesLeave()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 100 * MB)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        var planner = new FillPlanner(NoHeadroom);
        var first = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];

        Plays(fleet, "b", "r", 10); // new order, same packages
        var reordered = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];
        Assert.Same(first, reordered);

        fleet.Builder.Upsert(Title("c", 100 * MB));
        var grown = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];
        Assert.Equal(first.Version + 1, grown.Version);

        fleet.Builder.Retire("a");
        var retired = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];
        Assert.Equal(grown.Version + 1, retired.Version);
        Assert.DoesNotContain("a", retired.Titles.Select(t => t.TitleId));
        Assert.False(planner.AnyPlanHolds("a"));
        Assert.True(planner.AnyPlanHolds("b"));
    }

    [Fact]
    public void APlanReachingMaxPlanAge_IsReissuedUnderANewVersion_SoItsOriginUrlsAreRenewed()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0, MaxPlanAge = TimeSpan.FromHours(12) });
        var first = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];

        fleet.Time.Advance(TimeSpan.FromHours(11));
        var young = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];
        fleet.Time.Advance(TimeSpan.FromHours(1));
        var old = planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"];

        Assert.Same(first, young);
        Assert.Equal(first.Version + 1, old.Version);
        Assert.Equal(first.Titles, old.Titles);
    }

    [Fact]
    public void Sources_ListPeersOfTheSameGroupHoldingThePackage_BeforeOrigin()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("me", EdgeSiteKind.Embedded, [], isp: "acme"), holds: []);
        fleet.Add(Edge("busy-peer", EdgeSiteKind.Embedded, [], isp: "acme"), load: 0.7, holds: ["t1"]);
        fleet.Add(Edge("idle-peer", EdgeSiteKind.Embedded, [], isp: "acme"), load: 0.1, holds: ["t1"]);
        fleet.Add(Edge("empty-peer", EdgeSiteKind.Embedded, [], isp: "acme"), holds: []);
        fleet.Add(Edge("draining-peer", EdgeSiteKind.Embedded, [], isp: "acme"), holds: ["t1"]);
        fleet.Add(Edge("other-isp", EdgeSiteKind.Embedded, [], isp: "globex"), holds: ["t1"]);
        fleet.Builder.SetDraining("draining-peer", true);
        var snapshot = fleet.Builder.Build();
        var planner = new FillPlanner(NoHeadroom);
        var assignment = planner.Plan(snapshot, fleet.Popularity.Snapshot())["me"];

        var plan = planner.Materialize(snapshot, assignment, OriginUrl, (peer, title) => $"{peer}|{title}", fleet.Time.GetUtcNow().UtcTicks);

        var item = Assert.Single(plan.Items);
        Assert.Equal(assignment.Version, plan.Version);
        Assert.Equal(["idle-peer-name", "busy-peer-name", "origin"], item.Sources.Select(s => s.Name));
        Assert.Equal([FillSourceKind.Peer, FillSourceKind.Peer, FillSourceKind.Origin], item.Sources.Select(s => s.Kind));
        Assert.Equal(new Uri("https://origin.example/t1/v1/video_720p.mp4?sig=x"), item.Sources[2].FileUrls!["video_720p.mp4"]);
        Assert.Equal(new Uri("https://idle-peer.example.net/"), item.Sources[0].BaseUrl);
        Assert.Equal(["idle-peer|t1", "busy-peer|t1", null], item.Sources.Select(s => s.Token)); // each peer's own token
    }
}
