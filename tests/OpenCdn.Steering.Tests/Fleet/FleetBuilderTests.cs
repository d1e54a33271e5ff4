using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Fleet;

public sealed class FleetBuilderTests
{
    [Fact]
    public void HeartbeatOnlyBuild_ReusesThePrefixMaps_AndUnchangedEdges()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1"]);
        fleet.Add(Edge("b", EdgeSiteKind.Embedded, ["11.0.0.0/8"]), holds: ["t1"]);
        var first = fleet.Builder.Build();

        fleet.Beat("a", load: 0.5, holds: ["t1"]);
        var second = fleet.Builder.Build();

        Assert.Same(first.Prefixes, second.Prefixes);
        Assert.Same(first.Ix, second.Ix);
        Assert.Same(first.Edges[1], second.Edges[1]);
        Assert.NotSame(first.Edges[0], second.Edges[0]);
        Assert.Equal(0.5, second.Edges[0].Load, 3);
        Assert.True(second.Generation > first.Generation);
    }

    [Fact]
    public void Registration_RebuildsTheMaps_AndRemovalDropsTheEdge()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1"]);
        var first = fleet.Builder.Build();

        fleet.Add(Edge("b", EdgeSiteKind.Embedded, ["10.1.0.0/16"]), holds: ["t1"]);
        var second = fleet.Builder.Build();
        Assert.NotSame(first.Prefixes, second.Prefixes);
        Assert.Equal(2, second.Prefixes.Trie.PrefixCount);

        Assert.True(fleet.Builder.Remove("a"));
        var third = fleet.Builder.Build();
        Assert.Null(third.FindEdge("a"));
        Assert.Equal(0, third.FindEdge("b")!.Index);
        Assert.False(fleet.Builder.Heartbeat("a", new EdgeHeartbeat(EdgeHealth.Healthy, 0, 0, 0, [], new FillProgress(0, false, 0, 0, 0, 0))));
    }

    [Fact]
    public void EachHeartbeat_ReplacesTheInventory_WhateverTheLastOneHeld()
    {
        // The compile reuses what it can of the edge's last inventory: what it reports is still exactly the new list.
        var fleet = new FleetFixture().Titles("t1", "t2", "t3", "t4");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1", "t2", "t3"]);
        string[] Held()
        {
            var snapshot = fleet.Builder.Build();
            return [.. snapshot.Catalog.Indices.Where(t => snapshot.Edges[0].Inventory.Holds(t.Value, 1)).Select(t => t.Key).Order()];
        }
        Assert.Equal(["t1", "t2", "t3"], Held());

        fleet.Beat("a", holds: ["t1", "t4", "t3"]); // one item changed in place
        Assert.Equal(["t1", "t3", "t4"], Held());
        fleet.Beat("a", holds: ["t1", "t4", "t3"]); // the same list again
        Assert.Equal(["t1", "t3", "t4"], Held());
        fleet.Beat("a", holds: ["t1", "t4"]); // one fewer
        Assert.Equal(["t1", "t4"], Held());
        fleet.Builder.Upsert(new CatalogTitle("t1", 2, Title("t1").Files, default, 0)); // a new package of t1: version 1 no longer counts
        fleet.Beat("a", holds: ["t1", "t4"]);
        Assert.Equal(1, fleet.Builder.Build().Edges[0].Inventory.Count);
    }

    [Fact]
    public void Inventory_OfTitlesOutsideTheCatalog_IsIgnored()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1", "stranger"]);

        var snapshot = fleet.Builder.Build();

        Assert.Equal(1, snapshot.Edges[0].Inventory.Count);
    }

    [Fact]
    public void APackageReportedBeforeTheCatalogKnewIt_CountsOnceTheCatalogDoes()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1", "early"]);
        var before = fleet.Builder.Build().Edges[0].Inventory.Count;

        fleet.Builder.Upsert(Title("early"));

        Assert.Equal(1, before);
        Assert.Equal(2, fleet.Builder.Build().Edges[0].Inventory.Count);
    }

    [Fact]
    public void FromRequest_RefusesABadPrefix_WithItsReason()
    {
        var request = new RegisterEdgeRequest("e", new Uri("https://e.example/"), EdgeSiteKind.Embedded, 64500, "isp", 48.8, 2.3,
            ["10.0.0.0/8", "10.0.0.1/8"], 1L << 40, Gbps, FillWindow.Default, 1L << 27);

        Assert.Null(EdgeDescriptor.FromRequest("e1", request, out var error));
        Assert.Contains("10.0.0.1/8", error, StringComparison.Ordinal);

        var ok = EdgeDescriptor.FromRequest("e1", request with { ClientPrefixes = ["10.0.0.0/8", "2001:db8::/32"] }, out error);
        Assert.Null(error);
        Assert.Equal("isp:isp", ok!.Group);
        Assert.Equal(2, ok.Prefixes.Count);
    }
}
