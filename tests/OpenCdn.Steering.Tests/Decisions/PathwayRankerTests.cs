using OpenCdn.Contracts.Edges;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Decisions;

public sealed class PathwayRankerTests
{
    private const long Mbps = 1_000_000;
    private static readonly string[] Session = ["a", "b", "c", "origin"];

    private static FleetFixture Fleet()
    {
        var fleet = new FleetFixture().Titles("t1");
        foreach (var id in new[] { "a", "b", "c" })
        {
            fleet.Add(Edge(id, EdgeSiteKind.Embedded, ["10.0.0.0/8"]), holds: ["t1"]);
        }
        fleet.Publish();
        return fleet;
    }

    [Fact]
    public void AllHealthy_KeepsTheSessionOrder_OriginLast()
    {
        Assert.Equal(Session, Fleet().Steerer.Rerank(Session, "t1", null, null, 3 * Mbps));
    }

    [Fact]
    public void DeadDrainingOrEmptiedEdges_AreDropped_DegradedMovesDown()
    {
        var fleet = Fleet();
        fleet.Time.Advance(TimeSpan.FromSeconds(31));
        fleet.Beat("b", load: 0.99, holds: ["t1"]);
        fleet.Beat("c", holds: ["t1"]);
        fleet.Publish();
        Assert.Equal(["c", "b", "origin"], fleet.Steerer.Rerank(Session, "t1", "a", 50 * Mbps, 3 * Mbps));

        fleet.Builder.SetDraining("c", true);
        fleet.Publish();
        Assert.Equal(["b", "origin"], fleet.Steerer.Rerank(Session, "t1", "a", 50 * Mbps, 3 * Mbps));

        fleet.Beat("b", holds: []);
        fleet.Publish();
        Assert.Equal(["origin"], fleet.Steerer.Rerank(Session, "t1", "b", 50 * Mbps, 3 * Mbps));
    }

    [Fact]
    public void CurrentPathway_StaysFirstWhileItDelivers()
    {
        Assert.Equal(["b", "a", "c", "origin"], Fleet().Steerer.Rerank(Session, "t1", "b", 20 * Mbps, 3 * Mbps));
    }

    [Fact]
    public void CurrentPathway_BelowTheNeededThroughput_YieldsToTheNextHealthyEdge()
    {
        Assert.Equal(["a", "b", "c", "origin"], Fleet().Steerer.Rerank(Session, "t1", "b", 1 * Mbps, 3 * Mbps));
        Assert.Equal(["b", "a", "c", "origin"], Fleet().Steerer.Rerank(Session, "t1", "a", 1 * Mbps, 3 * Mbps));
    }

    [Fact]
    public void UnknownPathwaysAndRetiredTitles_LeaveOnlyOrigin()
    {
        var fleet = Fleet();
        Assert.Equal(["a", "origin"], fleet.Steerer.Rerank(["gone", "a", "a"], "t1", null, null, 0));

        fleet.Builder.Retire("t1");
        fleet.Publish();
        Assert.Equal(["origin"], fleet.Steerer.Rerank(Session, "t1", "a", null, 0));
    }
}
