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
            foreach (var edge in Sim.Push.Edges)
            {
                MostOverCapacity = Math.Max(MostOverCapacity, edge.Used - edge.Edge.DiskBytes);
            }
            foreach (var pull in Sim.Pulls)
            {
                for (var e = 0; e < pull.Caches.Count; e++)
                {
                    MostOverCapacity = Math.Max(MostOverCapacity, pull.Caches[e].Used - Sim.Network.Edges[e].DiskBytes);
                }
            }
            // A down edge cannot evict: it drops what left its plan at its first pass back up.
            HeldNotPlanned += Sim.Push.Edges.Where(edge => !Sim.Outages.IsDown(edge.Edge.Index, hour)).Sum(edge =>
                edge.HeldSet.Count(t => Sim.Push.Planner.Current(edge.Edge.Id)?.Titles.All(p => p.TitleId != Sim.Catalog.Titles[t].Id) ?? true));
        });
    }

    internal Simulation Sim { get; }

    /// <summary>The largest excess of bytes on a disk over its capacity seen after any hour (0 or less: never over).</summary>
    public long MostOverCapacity { get; private set; } = long.MinValue;

    /// <summary>Edge-hours in which a push edge held a title its current plan does not list.</summary>
    public long HeldNotPlanned { get; private set; }
}
