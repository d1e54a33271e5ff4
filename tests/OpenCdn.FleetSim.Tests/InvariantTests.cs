using OpenCdn.FleetSim.Model;
using OpenCdn.FleetSim.Report;
using OpenCdn.Steering.Fill;

namespace OpenCdn.FleetSim.Tests;

public sealed class InvariantTests(TinyFleet fleet) : IClassFixture<TinyFleet>
{
    private Simulation Sim => fleet.Sim;

    [Fact]
    public void PushFill_MovesBytesOnlyInsideTheWindows_AndNeverAtThePeak()
    {
        var push = Sim.Push.Ledger;
        var fill = Enumerable.Range(0, Sim.Options.TotalHours).Sum(push.Fill);
        Assert.True(fill > 0, "the tiny fleet filled nothing: the check below would prove nothing");
        Assert.Equal(0, push.FillOutsideWindow.Sum());
        Assert.Equal(0, push.FillAtPeak.Sum());
        // Hour by hour, against each zone's own clock: no fill byte counted in an hour whose window was closed everywhere.
        for (var hour = 0; hour < Sim.Options.TotalHours; hour++)
        {
            var now = Sim.Start.AddHours(hour);
            var anyOpen = Sim.Network.Zones.Any(z => Window.Contains(Sim.Options.FillStartHour, Sim.Options.FillEndHour, z.LocalHour(now)));
            Assert.True(anyOpen || push.Fill(hour) == 0, $"fill at {now:u} while every window was closed");
        }
        // The pull baseline fills when viewers watch, the evening peak included: the comparison is not vacuous.
        Assert.True(Sim.Pulls[0].Ledger.FillAtPeak.Sum() > 0);
    }

    [Fact]
    public void NoDisk_IsEverOverCapacity()
    {
        Assert.True(fleet.MostOverCapacity <= 0, $"a disk went {fleet.MostOverCapacity} bytes over its capacity");
        Assert.Equal(0, Sim.Push.Ledger.OverCapacityEvents);
        Assert.Contains(Sim.Push.Edges, e => e.Used > e.Edge.DiskBytes * 0.5); // disks did fill
    }

    [Fact]
    public void EveryPlay_IsServedBySomeone_InEveryStrategy()
    {
        Assert.True(Sim.PlaysSimulated > 10_000);
        foreach (var ledger in Sim.Ledgers)
        {
            Assert.Equal(Sim.PlaysSimulated, (long)ledger.Plays.Sum());
            var served = Enumerable.Range(0, Sim.Options.TotalHours).Sum(ledger.Served);
            Assert.Equal(Sim.BytesDemanded, served, Sim.BytesDemanded * 1e-12);
        }
        var outcomes = Sim.Push.Ledger.Outcomes.Sum(o => o.Sum());
        Assert.Equal(Sim.PlaysSimulated, (long)outcomes);
    }

    [Fact]
    public void SameSeed_GivesTheSameResult_AndAnotherSeedDoesNot()
    {
        var again = new Simulation(TinyFleet.Options).Run();
        var other = new Simulation(TinyFleet.Options with { Seed = 8 }).Run();
        var first = Program.Totals(Sim);
        Assert.Equal(first, Program.Totals(again));
        Assert.NotEqual(first, Program.Totals(other));
        foreach (var (a, b) in Sim.Ledgers.Zip(again.Ledgers))
        {
            Assert.Equal(a.Embedded, b.Embedded);
            Assert.Equal(a.FillFromOrigin, b.FillFromOrigin);
            Assert.Equal(a.FillFromPeer, b.FillFromPeer);
        }
    }

    [Fact]
    public void Simulator_DrivesTheControlPlanesPlannerAndSteerer()
    {
        // The control plane registers this very type (FleetSetup: new FillPlanner(FillOptions)); the simulator holds one.
        Assert.IsType<FillPlanner>(Sim.Push.Planner);
        Assert.Equal("OpenCdn.Steering", typeof(FillPlanner).Assembly.GetName().Name);
        // Every edge got its plan from it, and edges only ever held what their current plan listed.
        Assert.All(Sim.Network.Edges, e => Assert.NotNull(Sim.Push.Planner.Current(e.Id)));
        Assert.Equal(0, fleet.HeldNotPlanned);
        Assert.True(Sim.Push.Ledger.PlannerRuns >= Sim.Options.TotalDays * 24 / (int)Sim.Options.PlanInterval.TotalHours);
        // Every play was a decision of the real steerer, and reached its popularity tracker.
        Assert.Equal(Sim.PlaysSimulated, Sim.Push.Steerer.Stats.Read().Decisions);
        Assert.True(Sim.Push.Popularity.Snapshot().Regions.Count() == Sim.Options.Isps);
    }

    [Fact]
    public void PullDisksFill_SoEachPolicyIsConsulted_AndTheTwoBaselinesDiffer()
    {
        var totals = Program.Totals(Sim);
        Assert.All(Sim.Pulls, p => Assert.True(p.Ledger.EvictedBytes > 0, $"{p.Ledger.Name} never evicted: its policy was never consulted"));
        Assert.NotEqual(totals[1].EmbeddedShare, totals[2].EmbeddedShare);
        Assert.NotSame(Sim.Pulls[0].Caches[0], Sim.Pulls[1].Caches[0]);
    }

    [Fact]
    public void PeerFill_TakesATitleWithSeveralCopiesOverTransitOncePerIsp()
    {
        // The edges of an ISP split the catalog, and a title several of them plan is fetched from origin by one seeder:
        // the others take it from a peer, so that fill from origin is about one copy per ISP, (N-1)/N of it spared
        // (outages, empty disks and the seeder's wait account for the rest).
        var push = Program.Totals(Sim)[0];
        Assert.True(Sim.Push.Ledger.MultiCopyFill > 0, "no ISP planned a title on several edges: the check below would prove nothing");
        Assert.True(push.PeerCut >= push.PeerCutTarget - 0.05, $"peer fill spared {push.PeerCut:P1}; (N-1)/N is {push.PeerCutTarget:P1}");
        Assert.True(push.PeerCutTarget >= 0.5);
    }

    [Fact]
    public void TheEdgesOfAnIsp_SplitTheCatalog_SoTheIspHoldsMoreThanOneDisksWorth()
    {
        // Plans come from the product's planner with its default (OpenCdn:Fill:ShardWithinGroup on).
        Assert.True(Sim.Options.Shard);
        var isp = Sim.Network.IspEdges.OrderByDescending(e => e.Length).First();
        var plans = isp.Select(e => Sim.Push.Planner.Current(Sim.Network.Edges[e].Id)!).ToArray();
        var distinct = plans.SelectMany(p => p.Titles).Select(t => t.TitleId).Distinct().Count();
        Assert.True(distinct > plans.Max(p => p.Titles.Length) * (isp.Length - 1),
            $"{isp.Length} edges plan {distinct} distinct titles, one plans up to {plans.Max(p => p.Titles.Length)}");
    }

    [Fact]
    public void Summary_CountsLaunches_AndPeerFill()
    {
        var push = Program.Totals(Sim)[0];
        Assert.True(push.Launches > 0);
        Assert.InRange(push.EmbeddedShare, 0.01, 1);
        Assert.True(Sim.Push.Ledger.FillFromPeer.Sum() > 0 || Sim.Push.Ledger.FillFromOrigin.Sum() > 0);
        Assert.IsType<Summary>(push);
    }
}
