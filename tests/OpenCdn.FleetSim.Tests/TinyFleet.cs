namespace OpenCdn.FleetSim.Tests;

/// <summary>A week of a tiny fleet (one Friday of releases, outages, every zone), shared by the invariant tests.</summary>
public sealed class TinyFleet
{
    internal static readonly SimOptions Options = new()
    {
        Seed = 7,
        Days = 6,
        WarmupDays = 1,
        Plays = 30_000,
        Titles = 400,
        ReleasesPerWeek = 6,
        Isps = 8,
        EmbeddedEdges = 24,
        IxEdgesPerSite = 1,
        OutagesPerEdgeMonth = 4,
        FillRateBytesPerSecond = 5_000_000,
    };

    public TinyFleet()
    {
        Sim = new Simulation(Options);
        Sim.Run(hour =>
        {
            // A down edge cannot evict: it drops what left its plan at its first pass back up.
            HeldNotPlanned += Sim.Push.Edges.Where(edge => !Sim.Outages.IsDown(edge.Edge.Index, hour)).Sum(edge =>
                edge.HeldSet.Count(t => Sim.Push.Planner.Current(edge.Edge.Id)?.Titles.All(p => p.TitleId != Sim.Catalog.Titles[t].Id) ?? true));
        });
    }

    internal Simulation Sim { get; }

    /// <summary>The largest excess of bytes on a disk over its capacity seen after any hour, push or pull (0 or less: never over).</summary>
    public long MostOverCapacity => Sim.Ledgers.Max(l => l.MostOverCapacity);

    /// <summary>Edge-hours in which a push edge held a title its current plan does not list.</summary>
    public long HeldNotPlanned { get; private set; }
}
