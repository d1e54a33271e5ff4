using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Fill;

/// <summary>
/// Cuts shared by edges of one kind, group and disk (with <see cref="FillOptions.ShardWithinGroup"/> off), or one per
/// edge (on); versions from one counter that never goes back for an edge.
/// </summary>
public sealed class FillCutTests
{
    private const long MB = 1_000_000;
    private static readonly FillOptions NoHeadroom = new() { DiskHeadroom = 0, ShardWithinGroup = false };

    [Fact]
    public void EdgesOfOneKindAndDisk_ShareOneCut_AndAnotherDiskGetsItsOwn()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 100 * MB)]);
        fleet.Builder.Register(Edge("ix1", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        fleet.Builder.Register(Edge("ix2", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        fleet.Builder.Register(Edge("small", EdgeSiteKind.IX, [], diskBytes: 100 * MB));

        var change = new FillPlanner(NoHeadroom).Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.Equal(2, change.Cuts.Count);
        Assert.Equal(3, change.Edges.Count);
        Assert.Equal(change.Book.EdgeCuts["ix1"], change.Book.EdgeCuts["ix2"]);
        Assert.Same(change.Book.Assignments["ix1"].Titles, change.Book.Assignments["ix2"].Titles);
        Assert.NotEqual(change.Book.Assignments["ix1"].Version, change.Book.Assignments["small"].Version);
        Assert.Equal(2, change.Revision);
    }

    [Fact]
    public void AnEdgeMovingToACutWithAnOlderVersion_GetsAHigherVersionThanItHad_AndEdgesThatLeaveAreRemoved()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 100 * MB)]);
        fleet.Builder.Register(Edge("small", EdgeSiteKind.IX, [], diskBytes: 100 * MB));
        fleet.Builder.Register(Edge("mover", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        var planner = new FillPlanner(NoHeadroom);
        planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());
        var was = planner.Current("mover")!.Version;
        var smallWas = planner.Current("small")!.Version;

        fleet.Builder.Register(Edge("mover", EdgeSiteKind.IX, [], diskBytes: 100 * MB)); // its disk shrank: the small edges' cut
        fleet.Builder.Remove("small");
        fleet.Builder.Register(Edge("small2", EdgeSiteKind.IX, [], diskBytes: 100 * MB));
        var change = planner.Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());
        planner.Install(change.Book);

        Assert.True(smallWas < was, "the cut the mover joins is the older one");
        Assert.True(planner.Current("mover")!.Version > was);
        Assert.Equal(planner.Current("mover")!.Version, planner.Current("small2")!.Version);
        Assert.Null(planner.Current("small"));
        Assert.Contains(new KeyValuePair<string, string?>("small", null), change.Edges);
    }

    [Fact]
    public void NothingChanged_IsAnEmptyChange_AndReissueAllGivesEveryCutANewVersion()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB)]);
        fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 1000 * MB));
        fleet.Builder.Register(Edge("em", EdgeSiteKind.Embedded, [], isp: "acme", diskBytes: 1000 * MB));
        var planner = new FillPlanner(NoHeadroom);
        planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        var unchanged = planner.Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());
        planner.ReissueAll();
        var reissued = planner.Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.True(unchanged.IsEmpty);
        Assert.Equal(2, reissued.Cuts.Count);
        Assert.Empty(reissued.Edges);
        Assert.True(reissued.Reissued);
        Assert.True(reissued.Book.Assignments["ix"].Version > planner.Current("ix")!.Version);
    }

    [Fact]
    public void SwitchingToShards_GivesEachEdgeItsOwnCut_AtAHigherVersionThanItsSharedOne()
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog([Title("a", 100 * MB), Title("b", 100 * MB)]);
        fleet.Builder.Register(Edge("em1", EdgeSiteKind.Embedded, [], isp: "acme", diskBytes: 100 * MB));
        fleet.Builder.Register(Edge("em2", EdgeSiteKind.Embedded, [], isp: "acme", diskBytes: 100 * MB));
        var shared = new FillPlanner(NoHeadroom);
        shared.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot());
        Assert.Equal(shared.Book.EdgeCuts["em1"], shared.Book.EdgeCuts["em2"]);
        var was = shared.Current("em1")!.Version;

        var sharded = new FillPlanner(new FillOptions { DiskHeadroom = 0 }); // a restart with the default
        sharded.Install(shared.Book);
        var change = sharded.Next(fleet.Builder.Build(), fleet.Popularity.Snapshot());

        Assert.Equal(FillCut.KeyOfEdge("em1"), change.Book.EdgeCuts["em1"]);
        Assert.Equal(FillCut.KeyOfEdge("em2"), change.Book.EdgeCuts["em2"]);
        Assert.True(change.Book.Assignments["em1"].Version > was);
        Assert.True(change.Book.Assignments["em2"].Version > was);
        // One disk's worth each, the two titles split between them instead of the same one twice.
        Assert.Equal(["a", "b"], change.Book.Assignments.Values.SelectMany(a => a.Titles).Select(t => t.TitleId).Order());
    }

    [Fact]
    public void SameContent_IsTheSamePackagesInAnyOrder_WhetherTheObjectsAreTheCatalogsOrCopies()
    {
        CatalogTitle[] titles = [Title("a"), Title("b"), Title("c")];
        var cut = new FillCut("edge/em1", 1, DateTimeOffset.UnixEpoch, titles);

        Assert.True(cut.SameContent([titles[2], titles[0], titles[1]]));
        Assert.True(cut.SameContent([Title("c"), Title("b"), Title("a")])); // read back from storage: equal, not the same objects
        Assert.False(cut.SameContent([titles[0], titles[1], Title("d")]));
        Assert.False(cut.SameContent([titles[0], titles[1], titles[2] with { Version = 2 }])); // a new package of c
        Assert.False(cut.SameContent([titles[0], titles[1]]));
        Assert.Equal(cut.Digest, new FillCut("edge/em2", 7, DateTimeOffset.UnixEpoch, [.. titles.Reverse()]).Digest);
    }
}
