using OpenCdn.FleetSim.Model;
using OpenCdn.FleetSim.Report;

namespace OpenCdn.FleetSim.Pull;

/// <summary>
/// The pull baseline on the same fleet, disks, outages and plays: every edge is a cache (<see cref="ICache"/>) of its
/// disk less the same headroom. A client goes to its ISP's embedded edges in the order the steerer gives its prefix
/// (skipping edges that are down or were over the load ceiling last hour), else to its zone's exchange, else origin.
/// An embedded miss is fetched at once from the IX parent (the exchange edge the title hashes to), whose own miss comes
/// from origin: pull fill happens when viewers watch.
/// </summary>
internal sealed class PullFleet
{
    private const double LoadCeiling = 0.85;

    private readonly SimOptions _options;
    private readonly Network _network;
    private readonly CatalogModel _catalog;
    private readonly Outages _outages;
    private readonly DateTimeOffset _start;
    private readonly int[][] _offsets;
    private readonly ICache[] _caches;
    private readonly double[] _servedLastHour;
    private readonly double[] _servedThisHour;
    private long _evictedBefore;

    public PullFleet(
        SimOptions options, Network network, CatalogModel catalog, Outages outages, DateTimeOffset start, int[][] offsets,
        Func<long, ICache> cache, Ledger ledger)
    {
        _options = options;
        _network = network;
        _catalog = catalog;
        _outages = outages;
        _start = start;
        _offsets = offsets;
        Ledger = ledger;
        _caches = [.. network.Edges.Select(e => cache((long)(e.DiskBytes * (1 - options.DiskHeadroom))))];
        _servedLastHour = new double[network.Edges.Length];
        _servedThisHour = new double[network.Edges.Length];
    }

    public Ledger Ledger { get; }

    public IReadOnlyList<ICache> Caches => _caches;

    public void Step(int hour, PlayBatch plays)
    {
        if (hour == Ledger.MeasuredFrom)
        {
            _evictedBefore = EmbeddedEvicted();
        }
        for (var e = 0; e < _caches.Length; e++)
        {
            _servedLastHour[e] = _servedThisHour[e];
            _servedThisHour[e] = 0;
            if (_outages.ComesBackEmpty(e, hour))
            {
                _caches[e].Clear();
            }
        }
        var now = _start.AddHours(hour);
        var localHours = _network.Zones.Select(z => z.LocalHour(now)).ToArray();
        var titles = _catalog.Titles;
        for (var p = 0; p < plays.Count; p++)
        {
            var isp = plays.Isp[p];
            var zone = _network.IspZone[isp];
            var title = titles[plays.Title[p]];
            var bytes = plays.Bytes[p];
            var key = ((long)title.Index << 3) | (long)plays.Rung[p];
            Ledger.Plays[hour]++;
            if (hour >= Ledger.MeasuredFrom)
            {
                Ledger.ServedByLocalHour[localHours[zone]] += bytes;
            }
            var launchDay = title.LaunchWeight > 0 && now - title.LaunchedAt < TimeSpan.FromDays(1);
            if (launchDay)
            {
                Ledger.DayOneTotal[title.Index] += bytes;
            }
            var embedded = Embedded(isp, plays.Client[p], hour);
            var parent = Parent(zone, title.Index, hour);
            if (embedded >= 0)
            {
                _servedThisHour[embedded] += bytes;
                var hit = _caches[embedded].Request(key, bytes);
                Ledger.Embedded[hour] += hit;
                if (launchDay)
                {
                    Ledger.DayOneEmbedded[title.Index] += hit;
                }
                var missed = bytes - hit;
                if (missed > 0)
                {
                    // The parent is asked for the whole prefix; what it had beyond the edge's part comes from it.
                    var fromIx = parent >= 0 ? Math.Max(0, _caches[parent].Request(key, bytes) - hit) : 0;
                    var fromOrigin = missed - fromIx;
                    Ledger.Ix[hour] += fromIx;
                    Ledger.Origin[hour] += fromOrigin;
                    FillInto(isp, localHours[zone], hour, fromIx, fromOrigin, parent >= 0 ? fromOrigin : 0);
                }
            }
            else if (parent >= 0)
            {
                _servedThisHour[parent] += bytes;
                var hit = _caches[parent].Request(key, bytes);
                Ledger.Ix[hour] += hit;
                Ledger.Origin[hour] += bytes - hit;
                FillInto(-1, localHours[zone], hour, 0, 0, bytes - hit);
            }
            else
            {
                Ledger.Origin[hour] += bytes;
            }
        }
        for (var e = 0; e < _caches.Length; e++)
        {
            Ledger.MostOverCapacity = Math.Max(Ledger.MostOverCapacity, _caches[e].Used - _network.Edges[e].DiskBytes);
        }
        if (hour % 24 == 23)
        {
            Ledger.DiskUsedShare[hour / 24] = _network.Edges.Where(e => e.Embedded)
                .Average(e => (double)_caches[e.Index].Used / e.DiskBytes);
            Ledger.EvictedBytes = hour >= Ledger.MeasuredFrom ? EmbeddedEvicted() - _evictedBefore : 0;
        }
    }

    /// <summary>Miss traffic: into the embedded edge (from IX or origin), and into the IX parent (from origin).</summary>
    private void FillInto(int isp, int localHour, int hour, long embeddedFromIx, long embeddedFromOrigin, long ixFromOrigin)
    {
        var total = embeddedFromIx + embeddedFromOrigin + ixFromOrigin;
        if (hour >= Ledger.MeasuredFrom)
        {
            Ledger.FillByLocalHour[localHour] += total;
        }
        Ledger.FillFromIx[hour] += embeddedFromIx;
        Ledger.FillFromOrigin[hour] += embeddedFromOrigin + ixFromOrigin;
        if (!Window.Contains(_options.FillStartHour, _options.FillEndHour, localHour))
        {
            Ledger.FillOutsideWindow[hour] += total;
        }
        if (Window.Contains(_options.PeakStartHour, _options.PeakEndHour, localHour))
        {
            Ledger.FillAtPeak[hour] += total;
        }
        if (isp >= 0)
        {
            Ledger.EmbeddedFillByIsp[isp] += embeddedFromIx + embeddedFromOrigin;
            Ledger.EmbeddedFillFromOriginByIsp[isp] += embeddedFromOrigin;
        }
    }

    private long EmbeddedEvicted() => _network.Edges.Where(e => e.Embedded).Sum(e => _caches[e.Index].Evicted);

    private int Embedded(int isp, int client, int hour)
    {
        var members = _network.IspEdges[isp];
        var start = _offsets[isp][client];
        for (var k = 0; k < members.Length; k++)
        {
            var e = members[(start + k) % members.Length];
            if (!_outages.IsDown(e, hour) && !Overloaded(e))
            {
                return e;
            }
        }
        return -1;
    }

    /// <summary>The exchange edge a title hashes to (the next one up when it is down); -1 when the whole site is down.</summary>
    private int Parent(int zone, int title, int hour)
    {
        var site = _network.IxSites[zone];
        for (var k = 0; k < site.Length; k++)
        {
            var e = site[(int)(((uint)title * 2_654_435_761u + (uint)k) % (uint)site.Length)];
            if (!_outages.IsDown(e, hour))
            {
                return e;
            }
        }
        return -1;
    }

    private bool Overloaded(int edge) =>
        _servedLastHour[edge] * 8 / 3600 > LoadCeiling * _network.Edges[edge].Descriptor.EgressCapacityBitsPerSecond;
}
