using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Prefixes;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Decisions;

public sealed class SteererTests
{
    private static readonly GeoPoint Paris = new(48.86, 2.35);
    private static readonly GeoPoint Amsterdam = new(52.37, 4.90);
    private static readonly GeoPoint Frankfurt = new(50.11, 8.68);
    private static readonly GeoPoint NewYork = new(40.71, -74.01);

    private static FleetFixture ParisFleet()
    {
        var fleet = new FleetFixture().Titles("t1", "t2");
        fleet.Add(Edge("isp-wide", EdgeSiteKind.Embedded, ["10.0.0.0/8"], Paris, "isp"), holds: ["t1", "t2"]);
        fleet.Add(Edge("isp-city", EdgeSiteKind.Embedded, ["10.1.0.0/16", "2001:db8:1::/48"], Paris, "isp"), holds: ["t1", "t2"]);
        fleet.Add(Edge("ix-ams", EdgeSiteKind.IX, [], Amsterdam), holds: ["t1", "t2"]);
        fleet.Add(Edge("ix-fra", EdgeSiteKind.IX, [], Frankfurt), holds: ["t1", "t2"]);
        fleet.Add(Edge("ix-nyc", EdgeSiteKind.IX, [], NewYork), holds: ["t1", "t2"]);
        fleet.Builder.SetGeo([new GeoArea(IpPrefix.Parse("192.0.2.0/24"), new GeoPoint(40.0, -75.0), "us-east"),
            new GeoArea(IpPrefix.Parse("198.51.100.0/24"), new GeoPoint(50.0, 8.0), "de")]);
        fleet.Publish();
        return fleet;
    }

    [Fact]
    public void Client_InNestedEmbeddedPrefixes_GetsLongestPrefixFirst_ThenNearestIx_ThenOrigin()
    {
        var fleet = ParisFleet();

        var decision = fleet.Decide("t1", "10.1.2.3");

        Assert.Equal(["isp-city", "isp-wide", "ix-ams", "origin"], Ids(decision));
        Assert.Equal([1, 2, 3, 4], decision.ToArray().Select(s => s.Priority));
        Assert.Equal([ChoiceReason.EmbeddedPrefix, ChoiceReason.EmbeddedPrefix, ChoiceReason.IxNearest, ChoiceReason.Origin],
            decision.ToArray().Select(s => s.Reason));
        Assert.Equal(SteeringOutcome.Hit, decision.Outcome);
        Assert.Equal("isp:isp", decision.Region);
    }

    [Fact]
    public void Client_IPv6AndIPv4Mapped_MatchTheirPrefixes()
    {
        var fleet = ParisFleet();

        Assert.Equal("isp-city", fleet.Decide("t1", "2001:db8:1:2::9")[0].Id);
        Assert.Equal("isp-city", fleet.Decide("t1", "::ffff:10.1.9.9")[0].Id);
        Assert.Equal("isp-wide", fleet.Decide("t1", "::ffff:10.2.0.1")[0].Id);
    }

    [Fact]
    public void Client_OutsideEveryEdgePrefix_IsSentToTheNearestIxByTheGeoTable()
    {
        var fleet = ParisFleet();

        var american = fleet.Decide("t1", "192.0.2.77");
        var german = fleet.Decide("t1", "198.51.100.1");

        Assert.Equal(["ix-nyc", "ix-ams", "ix-fra", "origin"], Ids(american)); // New York–Amsterdam 5,860 km < –Frankfurt 6,200 km
        Assert.Equal(["ix-fra", "ix-ams", "ix-nyc", "origin"], Ids(german));
        Assert.Equal("us-east", american.Region);
        Assert.Equal(SteeringOutcome.Hit, american.Outcome);
    }

    [Fact]
    public void IxOrder_FollowsGreatCircleDistance_ForRandomClientLocations()
    {
        var random = new Random(5);
        var fleet = new FleetFixture(new SteeringOptions { MaxEdges = 3, NearestIxSites = 3 }).Titles("t1");
        var sites = Enumerable.Range(0, 12).Select(i => (Id: $"ix{i}", At: RandomPoint(random))).ToArray();
        foreach (var (id, at) in sites)
        {
            fleet.Add(Edge(id, EdgeSiteKind.IX, [], at), holds: ["t1"]);
        }
        var clients = Enumerable.Range(0, 50).Select(i => new GeoArea(IpPrefix.Parse($"100.64.{i}.0/24"), RandomPoint(random), "r")).ToArray();
        fleet.Builder.SetGeo(clients);
        fleet.Publish();

        for (var i = 0; i < clients.Length; i++)
        {
            var expected = sites.OrderBy(s => s.At.DistanceKm(clients[i].Location)).Take(3).Select(s => s.Id).Append("origin");
            Assert.Equal(expected, Ids(fleet.Decide("t1", $"100.64.{i}.1")));
        }
    }

    private static GeoPoint RandomPoint(Random random) => new((random.NextDouble() * 160) - 80, (random.NextDouble() * 360) - 180);

    [Fact]
    public void Client_Unplaced_UsesTheDefaultLocation()
    {
        var fleet = new FleetFixture(new SteeringOptions { DefaultLatitude = Frankfurt.Latitude, DefaultLongitude = Frankfurt.Longitude })
            .Titles("t1");
        fleet.Add(Edge("ix-ams", EdgeSiteKind.IX, [], Amsterdam), holds: ["t1"]);
        fleet.Add(Edge("ix-fra", EdgeSiteKind.IX, [], Frankfurt), holds: ["t1"]);
        fleet.Publish();

        Assert.Equal(["ix-fra", "ix-ams", "origin"], Ids(fleet.Decide("t1", "203.0.113.1")));
    }

    [Fact]
    public void Edge_WithoutTheTitle_IsSkipped_AndCountsAContentMiss()
    {
        var fleet = ParisFleet();
        fleet.Beat("isp-city", holds: ["t2"]);
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.1.2.3");

        Assert.Equal(["isp-wide", "ix-ams", "ix-fra", "origin"], Ids(decision));
        Assert.Equal(SteeringOutcome.ContentMiss, decision.Outcome);
        Assert.Equal(1, fleet.Steerer.Stats.Read().ContentMisses);
    }

    [Fact]
    public void NearestIx_WithoutTheTitle_IsSkipped_AndCountsAContentMiss()
    {
        var fleet = ParisFleet();
        fleet.Beat("ix-fra", holds: ["t2"]);
        fleet.Publish();

        var german = fleet.Decide("t1", "198.51.100.1");

        Assert.Equal(["ix-ams", "ix-nyc", "origin"], Ids(german));
        Assert.Equal(SteeringOutcome.ContentMiss, german.Outcome);
        Assert.Equal(SteeringOutcome.Hit, fleet.Decide("t2", "198.51.100.1").Outcome);
    }

    [Fact]
    public void AnIspWhoseEdgesSplitTheCatalog_SendsEveryClientToTheEdgeHoldingTheTitle_AsAHit()
    {
        var fleet = new FleetFixture().Titles("t1", "t2", "t3");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"], isp: "acme"), holds: ["t1"]);
        fleet.Add(Edge("b", EdgeSiteKind.Embedded, ["10.0.0.0/8"], isp: "acme"), holds: ["t2"]);
        fleet.Add(Edge("ix", EdgeSiteKind.IX, [], Paris), holds: ["t1", "t2", "t3"]);
        fleet.Publish();

        for (var i = 0; i < 40; i++)
        {
            var client = $"10.0.{i}.{i + 1}"; // clients whose walk starts at either edge
            var one = fleet.Decide("t1", client);
            var two = fleet.Decide("t2", client);
            Assert.Equal(["a", "ix", "origin"], Ids(one));
            Assert.Equal(["b", "ix", "origin"], Ids(two));
            Assert.Equal(SteeringOutcome.Hit, one.Outcome);
            Assert.Equal(SteeringOutcome.Hit, two.Outcome);
            // No edge of the ISP holds t3: the IX site does, and that is the ISP's content miss.
            var three = fleet.Decide("t3", client);
            Assert.Equal(["ix", "origin"], Ids(three));
            Assert.Equal(SteeringOutcome.ContentMiss, three.Outcome);
        }
        Assert.Equal(new SteeringCounts(80, 40, 0, 0, 0), fleet.Steerer.Stats.Read());

        fleet.Time.Advance(fleet.Options.DownAfter + TimeSpan.FromSeconds(1));
        fleet.Beat("b", holds: ["t2"]);
        fleet.Beat("ix", holds: ["t1", "t2", "t3"]);
        fleet.Publish();
        var down = fleet.Decide("t1", "10.0.0.1"); // the one edge holding t1 went silent
        Assert.Equal(["ix", "origin"], Ids(down));
        Assert.Equal(SteeringOutcome.HealthMiss, down.Outcome);
    }

    [Fact]
    public void Edge_HoldingAnOldVersion_DoesNotServeTheNewOne()
    {
        var fleet = ParisFleet();
        fleet.Builder.Upsert(Title("t1") with { Version = 2 });
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.1.2.3");

        Assert.Equal(["origin"], Ids(decision));
        Assert.Equal(SteeringOutcome.ContentMiss, decision.Outcome);

        fleet.Builder.Heartbeat("isp-city", new EdgeHeartbeat(EdgeHealth.Healthy, 1, 0, 0, [new InventoryItem("t1", 2)],
            new FillProgress(2, true, 1, 1, 1, 1)));
        fleet.Publish();
        Assert.Equal(["isp-city", "origin"], Ids(fleet.Decide("t1", "10.1.2.3")));
    }

    [Fact]
    public void Edge_SilentForThreeIntervals_IsExcluded_WithoutANewSnapshot()
    {
        var fleet = ParisFleet();
        fleet.Time.Advance(TimeSpan.FromSeconds(25));
        foreach (var other in new[] { "isp-wide", "ix-ams", "ix-fra", "ix-nyc" })
        {
            fleet.Beat(other, holds: ["t1", "t2"]);
        }
        fleet.Publish();
        Assert.Equal("isp-city", fleet.Decide("t1", "10.1.2.3")[0].Id);

        fleet.Time.Advance(TimeSpan.FromSeconds(6)); // isp-city last heard 31 s ago: more than 3 × 10 s

        var decision = fleet.Decide("t1", "10.1.2.3");
        Assert.Equal(["isp-wide", "ix-ams", "ix-fra", "origin"], Ids(decision));
        Assert.Equal(SteeringOutcome.HealthMiss, decision.Outcome);
    }

    [Fact]
    public void Edge_Draining_GetsNoNewSessions()
    {
        var fleet = ParisFleet();
        Assert.True(fleet.Builder.SetDraining("isp-city", true));
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.1.2.3");

        Assert.DoesNotContain("isp-city", Ids(decision));
        Assert.Equal(SteeringOutcome.HealthMiss, decision.Outcome);
    }

    [Fact]
    public void Edge_OverItsLoadCeiling_RanksLastAmongEdges()
    {
        var fleet = ParisFleet();
        fleet.Beat("isp-city", load: 0.95, holds: ["t1"]);
        fleet.Beat("ix-fra", health: EdgeHealth.Degraded, holds: ["t1"]);
        fleet.Beat("ix-nyc", health: EdgeHealth.Draining, holds: ["t1"]);
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.1.2.3");

        Assert.Equal(["isp-wide", "ix-ams", "isp-city", "origin"], Ids(decision));
        Assert.Equal(ChoiceReason.Degraded, decision[2].Reason);
        Assert.Equal(SteeringOutcome.HealthMiss, decision.Outcome);
        Assert.True(decision[3].Priority > decision[2].Priority && decision[2].Priority > decision[1].Priority);
    }

    [Fact]
    public void EdgesInOneRank_AreWeightedByHeadroom()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), load: 0.05, holds: ["t1"]);
        fleet.Add(Edge("b", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), load: 0.60, holds: ["t1"]);
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.9.9.9");

        var servers = decision.ToArray();
        Assert.Equal(["a", "b", "origin"], servers.Select(s => s.Id).Order());
        Assert.Equal(servers[0].Priority, servers[1].Priority);
        Assert.Equal(76, servers.Single(s => s.Id == "a").Weight); // headroom 0.80 vs 0.25 under the 0.85 ceiling: 76 % / 24 %
        Assert.Equal(24, servers.Single(s => s.Id == "b").Weight);
    }

    private static FleetFixture SixEdgesOnOnePrefix()
    {
        var fleet = new FleetFixture().Titles("t1");
        for (var i = 0; i < 6; i++)
        {
            fleet.Add(Edge($"e{i}", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1"]);
        }
        fleet.Publish();
        return fleet;
    }

    [Fact]
    public void Decision_NeverListsMoreThanThreeEdgesPlusOrigin()
    {
        var fleet = SixEdgesOnOnePrefix();

        var decision = fleet.Decide("t1", "10.0.0.1");

        Assert.Equal(4, decision.Count);
        Assert.Equal("origin", decision[3].Id);
    }

    [Fact]
    public void ClientsOfABigRank_SpreadOverAllItsEdges_EachKeepingTheirOwn()
    {
        var fleet = SixEdgesOnOnePrefix();

        var first = Enumerable.Range(0, 300).Select(i => fleet.Decide("t1", $"10.0.{i / 256}.{i % 256}")[0].Id).ToArray();

        Assert.Equal(6, first.Distinct().Count());
        Assert.True(first.GroupBy(id => id).All(g => g.Count() > 20), string.Join(",", first.GroupBy(id => id).Select(g => g.Count())));
        Assert.Equal(Ids(fleet.Decide("t1", "10.0.0.7")), Ids(fleet.Decide("t1", "10.0.0.7")));
    }

    [Fact]
    public void UnknownOrRetiredTitle_HasNoServers()
    {
        var fleet = ParisFleet();
        Assert.Equal(SteeringOutcome.UnknownTitle, fleet.Decide("nope", "10.1.2.3").Outcome);

        fleet.Builder.Retire("t1");
        fleet.Publish();
        var retired = fleet.Decide("t1", "10.1.2.3");

        Assert.Equal(SteeringOutcome.UnknownTitle, retired.Outcome);
        Assert.Equal(0, retired.Count);
        Assert.Equal(SteeringOutcome.Hit, fleet.Decide("t2", "10.1.2.3").Outcome);
    }

    [Fact]
    public void EmptyFleet_SendsEveryoneToOrigin_AsOther()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Publish();

        var decision = fleet.Decide("t1", "10.0.0.1");

        Assert.Equal(["origin"], Ids(decision));
        Assert.Equal(SteeringOutcome.Other, decision.Outcome);
        Assert.Equal(new SteeringCounts(0, 0, 0, 1, 0), fleet.Steerer.Stats.Read());
    }

    [Fact]
    public void Stats_CountEveryOutcome_AcrossThreads()
    {
        var fleet = ParisFleet();

        Parallel.For(0, 10_000, i => fleet.Decide(i % 2 == 0 ? "t1" : "missing", "10.1.2.3"));

        var counts = fleet.Steerer.Stats.Read();
        Assert.Equal(5_000, counts.Hits);
        Assert.Equal(5_000, counts.UnknownTitles);
        Assert.Equal(1.0, counts.Share(counts.Hits));
    }

    [Fact]
    public void Decide_AllocatesNothing_IncludingThePlayItRecords()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1"]);
        fleet.Add(Edge("ix", EdgeSiteKind.IX, [], Paris), holds: ["t1"]);
        var steerer = fleet.Steerer;
        fleet.Publish();
        var client = System.Net.IPAddress.Parse("10.1.2.3");
        steerer.Decide("t1", client);

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                steerer.Decide("t1", client);
            }
        }));
    }
}
