using System.Net;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Bench;

/// <summary>
/// A fleet at the scale: 900 ISPs × 10 embedded edges (50 prefixes each, plus an IPv4 and an IPv6 aggregate
/// per ISP), 100 exchanges × 10 IX edges, a geo table filling the rest up to 500,000 prefixes, 100,000 titles.
/// Embedded edges hold ~2,200 titles (the popular head plus a random tail), IX edges the top 20,000.
/// </summary>
internal sealed class SyntheticFleet
{
    public const int Isps = 900;
    public const int EdgesPerIsp = 10;
    public const int IxSites = 100;
    public const int EdgesPerIx = 10;
    public const int PrefixesPerEdge = 50;
    public const int TotalPrefixes = 500_000;
    public const int Titles = 100_000;
    private const long GB = 1_000_000_000;

    private readonly Random _random;
    private readonly List<(IpPrefix Prefix, bool Embedded)> _clientPrefixes = [];

    public SyntheticFleet(int seed, FleetBuilder builder)
    {
        _random = new Random(seed);
        Builder = builder;
        TitleIds = [.. Enumerable.Range(0, Titles).Select(i => $"t{i:D6}")];
    }

    public FleetBuilder Builder { get; }

    public string[] TitleIds { get; }

    public List<EdgeDescriptor> Edges { get; } = [];

    public int PrefixCount { get; private set; }

    public void Load()
    {
        Builder.SetCatalog(TitleIds.Select((id, i) =>
            new CatalogTitle(
                id, i % 50 == 7 ? 2 : 1, [new FillFile("video_1080p.mp4", _random.NextInt64(1, 5) * GB, "")], DateTimeOffset.UnixEpoch)));
        for (var isp = 0; isp < Isps; isp++)
        {
            AddIsp(isp);
        }
        for (var site = 0; site < IxSites; site++)
        {
            var at = RandomPoint();
            for (var e = 0; e < EdgesPerIx; e++)
            {
                Register(new EdgeDescriptor($"ix{site}-{e}", $"ix{site}-{e}", new Uri($"https://ix{site}-{e}.cdn.example/"), EdgeSiteKind.IX,
                    null, null, at, [], 60_000 * GB, 100 * GB));
            }
        }
        var geo = new List<GeoArea>();
        for (var i = 0; PrefixCount < TotalPrefixes; i++)
        {
            var prefix = IpPrefix.Create(IpKey.FromV4((uint)((128u << 24) + ((uint)i << 12))), IpKey.V4Offset + 20);
            geo.Add(new GeoArea(prefix, RandomPoint(), $"geo{i % 200}"));
            _clientPrefixes.Add((prefix, false));
            PrefixCount++;
        }
        Builder.SetGeo(geo);
        foreach (var edge in Edges)
        {
            Beat(edge);
        }
    }

    /// <summary>A heartbeat with the edge's inventory: 2 % stay silent (down), 1 % drain, loads spread to 0.9 of capacity.</summary>
    public void Beat(EdgeDescriptor edge)
    {
        var roll = _random.NextDouble();
        if (roll < 0.02)
        {
            return;
        }
        var health = roll < 0.03 ? EdgeHealth.Draining : EdgeHealth.Healthy;
        var held = edge.SiteKind == EdgeSiteKind.IX
            ? Enumerable.Range(0, 20_000)
            : Enumerable.Range(0, 2_000).Concat(Enumerable.Range(0, 200).Select(_ => _random.Next(2_000, 20_000)));
        var inventory = held.Distinct().Select(i => new InventoryItem(TitleIds[i], 1)).ToList();
        var egress = (long)(_random.NextDouble() * 0.9 * edge.EgressCapacityBitsPerSecond);
        Builder.Heartbeat(edge.Id, new EdgeHeartbeat(health, 100, egress, 100 * GB, inventory, new FillProgress(1, false, 0, 0, 0, 0)));
    }

    /// <summary>Requests: titles skewed to the head; clients 70 % in an edge prefix, 10 % geo table, 20 % anywhere (IPv4 and IPv6).</summary>
    public (string Title, IPAddress Client)[] Requests(int count)
    {
        var requests = new (string, IPAddress)[count];
        var embedded = _clientPrefixes.Where(p => p.Embedded).Select(p => p.Prefix).ToArray();
        var geo = _clientPrefixes.Where(p => !p.Embedded).Select(p => p.Prefix).ToArray();
        for (var i = 0; i < count; i++)
        {
            var title = TitleIds[(int)(Titles * Math.Pow(_random.NextDouble(), 10))];
            var roll = _random.NextDouble();
            var bits = new UInt128((ulong)_random.NextInt64(), (ulong)_random.NextInt64());
            var address = roll < 0.7 ? Inside(embedded[_random.Next(embedded.Length)], bits)
                : roll < 0.8 ? Inside(geo[_random.Next(geo.Length)], bits)
                : roll < 0.9 ? IpKey.FromV4((uint)bits)
                : bits;
            requests[i] = (title, IpKey.ToAddress(address));
        }
        return requests;
    }

    private void AddIsp(int isp)
    {
        var city = RandomPoint();
        var v4 = IpPrefix.Create(IpKey.FromV4((uint)(isp + 16) << 18), IpKey.V4Offset + 14);
        var v6 = IpPrefix.Create(((UInt128)(0x2a00_0000UL + (ulong)isp)) << 96, 32);
        for (var e = 0; e < EdgesPerIsp; e++)
        {
            var prefixes = new List<IpPrefix> { v4, v6 };
            for (var p = 0; p < PrefixesPerEdge; p++)
            {
                var bits = new UInt128((ulong)_random.NextInt64(), (ulong)_random.NextInt64());
                prefixes.Add(p < 45
                    ? IpPrefix.Create(Inside(v4, bits), IpKey.V4Offset + _random.Next(22, 25))
                    : IpPrefix.Create(Inside(v6, bits), 48));
            }
            var at = new GeoPoint(city.Latitude + (_random.NextDouble() * 0.2), city.Longitude + (_random.NextDouble() * 0.2));
            Register(new EdgeDescriptor($"isp{isp}-{e}", $"isp{isp}-{e}", new Uri($"https://isp{isp}-{e}.cdn.example/"), EdgeSiteKind.Embedded,
                64_512 + isp, $"isp{isp}", at, prefixes, 3_000 * GB, 40 * GB));
            foreach (var prefix in prefixes.Skip(e == 0 ? 0 : 2))
            {
                _clientPrefixes.Add((prefix, true));
                PrefixCount++;
            }
        }
    }

    private void Register(EdgeDescriptor edge)
    {
        Edges.Add(edge);
        Builder.Register(edge);
    }

    private static UInt128 Inside(IpPrefix prefix, UInt128 bits) => prefix.Network | (bits & ~IpKey.Mask(prefix.Length));

    private GeoPoint RandomPoint() => new((_random.NextDouble() * 130) - 60, (_random.NextDouble() * 360) - 180);
}
