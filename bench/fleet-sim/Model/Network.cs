using System.Net;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.FleetSim.Model;

/// <summary>
/// ISPs of Zipf-like sizes spread over the zones, each with embedded edges (disk and egress as configured) announcing
/// the ISP's four /18 client prefixes; one exchange per zone with a few IX edges; 64 client addresses per ISP.
/// </summary>
internal sealed class Network
{
    public const int ClientsPerIsp = 64;
    private const int PrefixesPerIsp = 4;

    public Network(SimOptions options, long catalogBytes, double peakHourBytesPerDayPlay)
    {
        var random = new Random(options.Seed + 1);
        Zones = Zone.Default;
        IspZone = new int[options.Isps];
        IspShare = new double[options.Isps];
        for (var i = 0; i < options.Isps; i++)
        {
            IspZone[i] = i % Zones.Length;
            var rankInZone = (i / Zones.Length) + 1;
            IspShare[i] = Zones[IspZone[i]].ViewerShare / Math.Pow(rankInZone, 0.9);
        }
        for (var z = 0; z < Zones.Length; z++)
        {
            var sum = Enumerable.Range(0, options.Isps).Where(i => IspZone[i] == z).Sum(i => IspShare[i]);
            for (var i = 0; i < options.Isps; i++)
            {
                IspShare[i] = IspZone[i] == z ? IspShare[i] / sum * Zones[z].ViewerShare : IspShare[i];
            }
        }
        var perIsp = Apportion(IspShare, options.EmbeddedEdges);
        var dailyPlays = (double)options.Plays / options.Days;
        var edges = new List<SimEdge>();
        IspEdges = new int[options.Isps][];
        Clients = new IPAddress[options.Isps][];
        for (var i = 0; i < options.Isps; i++)
        {
            var zone = Zones[IspZone[i]];
            var prefixes = Enumerable.Range(0, PrefixesPerIsp)
                .Select(q => IpPrefix.Parse($"10.{i}.{q * 64}.0/18")).ToArray();
            var peakBitsPerSecond = dailyPlays * IspShare[i] * peakHourBytesPerDayPlay * 8 / 3600;
            var members = new int[perIsp[i]];
            for (var k = 0; k < members.Length; k++)
            {
                var egress = (long)(peakBitsPerSecond / members.Length * options.EgressHeadroom * (0.8 + (0.4 * random.NextDouble())));
                var id = $"isp{i:D3}-e{k:D2}";
                members[k] = edges.Count;
                edges.Add(new SimEdge(edges.Count, new EdgeDescriptor(id, id, new Uri($"https://{id}.sim.example/"), EdgeSiteKind.Embedded,
                    64_512 + i, $"isp{i:D3}", zone.City, prefixes, (long)(catalogBytes * options.EmbeddedDiskShare), Math.Max(1, egress)),
                    i, zone.Index));
            }
            IspEdges[i] = members;
            Clients[i] = [.. Enumerable.Range(0, ClientsPerIsp)
                .Select(_ => new IPAddress([10, (byte)i, (byte)random.Next(256), (byte)random.Next(1, 255)]))];
        }
        IxSites = new int[Zones.Length][];
        for (var z = 0; z < Zones.Length; z++)
        {
            var zonePeak = dailyPlays * Zones[z].ViewerShare * peakHourBytesPerDayPlay * 8 / 3600;
            var members = new int[options.IxEdgesPerSite];
            for (var k = 0; k < members.Length; k++)
            {
                var id = $"ix{z}-e{k}";
                members[k] = edges.Count;
                edges.Add(new SimEdge(edges.Count, new EdgeDescriptor(id, id, new Uri($"https://{id}.sim.example/"), EdgeSiteKind.IX,
                    null, null, Zones[z].City, [], (long)(catalogBytes * options.IxDiskShare), (long)(zonePeak / members.Length)),
                    -1, z));
            }
            IxSites[z] = members;
        }
        Edges = [.. edges];
    }

    public Zone[] Zones { get; }

    public SimEdge[] Edges { get; }

    public int[] IspZone { get; }

    /// <summary>Each ISP's share of all plays.</summary>
    public double[] IspShare { get; }

    /// <summary>Per ISP, its embedded edges' indices in registration order.</summary>
    public int[][] IspEdges { get; }

    /// <summary>Per zone, the IX edges at its exchange.</summary>
    public int[][] IxSites { get; }

    public IPAddress[][] Clients { get; }

    /// <summary>
    /// Per ISP and client, where the client's walk over the ISP's edges starts: asked of the real steerer once, with every
    /// edge up and holding a probe title, so the pull baselines steer by prefix exactly as push does.
    /// </summary>
    public int[][] PreferredOffsets(DateTimeOffset at)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at);
        var options = new SteeringOptions { MaxEdges = 1 };
        var builder = new FleetBuilder(options, time);
        builder.SetCatalog([new CatalogTitle("probe", 1, [new FillFile("f", 1, "")], at)]);
        foreach (var edge in Edges)
        {
            builder.Register(edge.Descriptor);
            builder.Heartbeat(edge.Id, new EdgeHeartbeat(EdgeHealth.Healthy, 0, 0, 0, [new InventoryItem("probe", 1)],
                new FillProgress(0, false, 0, 0, 0, 0)));
        }
        var steerer = new Steerer(time);
        steerer.Publish(builder.Build());
        var offsets = new int[IspEdges.Length][];
        for (var i = 0; i < offsets.Length; i++)
        {
            var ids = IspEdges[i].Select(e => Edges[e].Id).ToList();
            offsets[i] = [.. Clients[i].Select(c => Math.Max(0, ids.IndexOf(steerer.Decide("probe", c)[0].Id)))];
        }
        return offsets;
    }

    /// <summary>Largest-remainder split of <paramref name="total"/> by <paramref name="shares"/>, at least one each.</summary>
    private static int[] Apportion(double[] shares, int total)
    {
        var sum = shares.Sum();
        var exact = shares.Select(s => Math.Max(1, s / sum * total)).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var order = Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).ToArray();
        var k = 0;
        while (counts.Sum() < total)
        {
            counts[order[k++ % order.Length]]++;
        }
        while (counts.Sum() > total)
        {
            var largest = Array.IndexOf(counts, counts.Max());
            counts[largest]--;
        }
        return counts;
    }
}
