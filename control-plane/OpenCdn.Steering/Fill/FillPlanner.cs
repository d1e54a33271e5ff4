using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Cuts one fill plan per edge: IX edges take the catalog by popularity, embedded edges by expected plays per byte in
/// their region, each until its disk (less headroom) is full. Keeps the last assignment per edge so a plan's version
/// moves only when its packages change (or it reaches <see cref="FillOptions.MaxPlanAge"/>); <see cref="Materialize"/> turns an
/// assignment into the contract with fresh sources (peers of the same group holding the package, then origin URLs).
/// </summary>
internal sealed class FillPlanner(FillOptions options)
{
    private readonly Lock _planGate = new();
    private Dictionary<string, EdgeAssignment> _current = new(StringComparer.Ordinal); // replaced whole, never changed: read without a lock
    private int _reissue;

    /// <summary>
    /// Makes the next <see cref="Plan"/> give every edge a new version even where its titles stay the same, so every
    /// edge fetches its plan again: how a peer that was revoked leaves the sources of plans edges already hold.
    /// </summary>
    public void ReissueAll() => Volatile.Write(ref _reissue, 1);

    /// <summary>Replans every edge of <paramref name="fleet"/>; edges no longer in the fleet are forgotten.</summary>
    public IReadOnlyDictionary<string, EdgeAssignment> Plan(FleetSnapshot fleet, PopularityView popularity)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(popularity);
        var order = new TitleOrder(fleet.Catalog.Current, popularity);
        var minSize = fleet.Catalog.Current.Length == 0 ? 0 : fleet.Catalog.Current.Min(t => t.SizeBytes);
        lock (_planGate)
        {
            var reissue = Interlocked.Exchange(ref _reissue, 0) == 1;
            var current = Volatile.Read(ref _current);
            var next = new Dictionary<string, EdgeAssignment>(fleet.Edges.Length, StringComparer.Ordinal);
            // Edges of one kind and group with the same disk get the same titles: cut once, share the array.
            var cuts = new Dictionary<(bool Ix, string Group, long Budget), CatalogTitle[]>();
            foreach (var edge in fleet.Edges)
            {
                var descriptor = edge.Descriptor;
                var ix = descriptor.SiteKind == EdgeSiteKind.IX;
                var budget = (long)(descriptor.DiskCapacityBytes * (1 - options.DiskHeadroom));
                var key = (ix, ix ? "" : descriptor.Group, budget);
                if (!cuts.TryGetValue(key, out var titles))
                {
                    titles = Fill(ix ? order.ByPopularity : order.ByValuePerByte(descriptor.Group), budget, minSize);
                    cuts.Add(key, titles);
                }
                next[descriptor.Id] = current.TryGetValue(descriptor.Id, out var last) && !reissue && last.SameContent(titles)
                    && popularity.At - last.GeneratedAt < options.MaxPlanAge
                    ? last
                    : new EdgeAssignment(descriptor.Id, (last?.Version ?? 0) + 1, popularity.At, titles);
            }
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>The edge's current assignment (its version goes in the heartbeat response); never waits for a planning run.</summary>
    public EdgeAssignment? Current(string edgeId) => Volatile.Read(ref _current).GetValueOrDefault(edgeId);

    /// <summary>Whether any edge's plan still lists the title: origin may drop a retired title once none does.</summary>
    public bool AnyPlanHolds(string titleId) => Volatile.Read(ref _current).Values.Any(a => a.Titles.Any(t => t.TitleId == titleId));

    /// <summary>
    /// The plan as the edge fetches it: each item's files, then its sources — up to <see cref="FillOptions.MaxPeers"/>
    /// peers of the edge's group that hold the package and are up (most headroom first), then origin with one URL per file.
    /// </summary>
    public FillPlan Materialize(
        FleetSnapshot fleet, EdgeAssignment assignment, OriginUrlFactory originUrls, PeerTokenFactory peerTokens, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(originUrls);
        ArgumentNullException.ThrowIfNull(peerTokens);
        var self = fleet.FindEdge(assignment.EdgeId);
        var group = self is null ? [] : fleet.Group(self.Descriptor.Group);
        var items = new FillItem[assignment.Titles.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var title = assignment.Titles[i];
            var sources = FillSources.Peers(fleet, group, self, title, options.MaxPeers, peerTokens, nowTicks);
            var urls = title.Files.ToDictionary(f => f.Name, f => originUrls(title.TitleId, title.Version, f), StringComparer.Ordinal);
            sources.Add(new FillSource(FillSourceKind.Origin, "origin", null, urls));
            items[i] = new FillItem(title.TitleId, title.Version, title.Files, sources);
        }
        return new FillPlan(assignment.Version, assignment.GeneratedAt, items);
    }

    /// <summary>Greedy by the given order: take what fits, skip what does not, stop when nothing more can fit.</summary>
    private CatalogTitle[] Fill(IEnumerable<CatalogTitle> order, long budget, long minSize)
    {
        var taken = new List<CatalogTitle>();
        var misfits = 0;
        foreach (var title in order)
        {
            if (budget < minSize || misfits >= options.MaxConsecutiveMisfits)
            {
                break;
            }
            if (title.SizeBytes <= budget)
            {
                taken.Add(title);
                budget -= title.SizeBytes;
                misfits = 0;
            }
            else
            {
                misfits++;
            }
        }
        return [.. taken];
    }
}
