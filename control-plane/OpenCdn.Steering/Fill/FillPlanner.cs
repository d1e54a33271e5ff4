using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Cuts the fill plans: IX edges take the catalog by popularity, embedded edges by expected plays per byte in their
/// region, until the disks (less headroom) are full. With <see cref="FillOptions.ShardWithinGroup"/> (the default) the
/// edges of one group split the catalog between them (<see cref="GroupPlacement"/>) and each edge has a cut of its own;
/// without, edges of one kind, group and disk budget share one cut, the most valuable titles that fit one disk. A cut
/// keeps its version while its packages stay the same (and it is younger than <see cref="FillOptions.MaxPlanAge"/>);
/// <see cref="Next"/> says what changed against a <see cref="FillBook"/>, so one planner can store the change for every
/// control-plane instance to read. <see cref="Materialize"/> turns an assignment into the contract with fresh sources
/// (peers of the same group holding the package, then origin URLs).
/// </summary>
internal sealed class FillPlanner(FillOptions options)
{
    private readonly Lock _planGate = new();
    private FillBook _book = FillBook.Empty; // replaced whole, never changed: read without a lock
    private int _reissue;

    /// <summary>The plans this instance hands out.</summary>
    public FillBook Book => Volatile.Read(ref _book);

    /// <summary>
    /// Makes the next <see cref="Next"/> give every cut a new version even where its titles stay the same, so every
    /// edge fetches its plan again: how a peer that was revoked leaves the sources of plans edges already hold.
    /// </summary>
    public void ReissueAll() => Volatile.Write(ref _reissue, 1);

    /// <summary>Hands out <paramref name="book"/> from now on.</summary>
    public void Install(FillBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        Volatile.Write(ref _book, book);
    }

    /// <summary>A change that could not be stored: its reissue, if it was one, is still owed.</summary>
    public void Abandon(FillPlanChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Reissued)
        {
            ReissueAll();
        }
    }

    /// <summary>Plans every edge of <paramref name="fleet"/> and installs the result at once (one planner, no database).</summary>
    public IReadOnlyDictionary<string, EdgeAssignment> Plan(FleetSnapshot fleet, PopularityView popularity)
    {
        lock (_planGate)
        {
            var change = Next(fleet, popularity);
            Install(change.Book);
            return change.Book.Assignments;
        }
    }

    /// <summary>
    /// Replans every edge of <paramref name="fleet"/> against the current book: the cuts whose packages changed (or that
    /// aged out, or all of them after <see cref="ReissueAll"/>) get new versions; edges no longer in the fleet leave.
    /// Nothing is installed: the caller stores the change, then installs its book.
    /// </summary>
    public FillPlanChange Next(FleetSnapshot fleet, PopularityView popularity)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(popularity);
        var reissue = Interlocked.Exchange(ref _reissue, 0) == 1;
        var book = Book;
        var order = new TitleOrder(fleet.Catalog.Current, popularity, options.HoldMargin);
        var minSize = fleet.Catalog.Current.Length == 0 ? 0 : fleet.Catalog.Current.Min(t => t.SizeBytes);
        var fresh = new Dictionary<string, CatalogTitle[]>(StringComparer.Ordinal);
        var edgeKeys = new Dictionary<string, string>(fleet.Edges.Length, StringComparer.Ordinal);
        if (options.ShardWithinGroup)
        {
            Shard(fleet, book, order, minSize, fresh, edgeKeys);
        }
        else
        {
            Share(fleet, book, order, minSize, fresh, edgeKeys);
        }
        var revision = book.Revision;
        var cuts = new Dictionary<string, FillCut>(fresh.Count, StringComparer.Ordinal);
        var changed = new Dictionary<string, FillCut>(StringComparer.Ordinal);
        foreach (var (key, titles) in fresh.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            cuts[key] = book.Cuts.TryGetValue(key, out var last) && !reissue && last.SameContent(titles)
                && popularity.At - last.GeneratedAt < options.MaxPlanAge
                ? last
                : changed[key] = new FillCut(key, ++revision, popularity.At, titles);
        }
        var edges = new List<KeyValuePair<string, string?>>();
        foreach (var (edgeId, key) in edgeKeys)
        {
            var was = book.EdgeCuts.GetValueOrDefault(edgeId);
            if (was != key)
            {
                edges.Add(new(edgeId, key));
                // An edge moving to a cut must not see its version go back: that cut takes a new one.
                if (was is not null && book.Cuts.TryGetValue(was, out var old) && cuts[key].Version <= old.Version)
                {
                    cuts[key] = changed[key] = cuts[key] with { Version = ++revision, GeneratedAt = popularity.At };
                }
            }
        }
        foreach (var edgeId in book.EdgeCuts.Keys.Where(id => !edgeKeys.ContainsKey(id)))
        {
            edges.Add(new(edgeId, null));
        }
        if (changed.Count == 0 && edges.Count > 0)
        {
            revision++; // edge rows carry a revision of their own
        }
        var cutList = changed.Values.ToList();
        return new FillPlanChange(book.With(cutList, edges, revision), cutList, edges, revision, reissue);
    }

    /// <summary>The edge's current assignment (its version goes in the heartbeat response); never waits for a planning run.</summary>
    public EdgeAssignment? Current(string edgeId) => Book.Assignments.GetValueOrDefault(edgeId);

    /// <summary>Whether any edge's plan still lists the title: origin may drop a retired title once none does.</summary>
    public bool AnyPlanHolds(string titleId) => Book.AnyPlanHolds(titleId);

    /// <summary>
    /// The plan as the edge fetches it: each item's files, then its sources — up to <see cref="FillOptions.MaxPeers"/>
    /// peers of the edge's group that hold the package and are up (most headroom first), then origin with one URL per file.
    /// Where no peer holds it and another edge of the group whose plan lists it seeds it (<see cref="FillSources.Seeder"/>),
    /// the seeder is listed as the peer and origin opens <see cref="FillOptions.SeedWait"/> after the plan was cut.
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
        var book = Book;
        var originOpensAt = assignment.GeneratedAt + options.SeedWait;
        var items = new FillItem[assignment.Titles.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var title = assignment.Titles[i];
            var urls = title.Files.ToDictionary(f => f.Name, f => originUrls(title.TitleId, title.Version, f), StringComparer.Ordinal);
            var sources = FillSources.For(fleet, group, self, title, options.MaxPeers, peerTokens, nowTicks, urls, originOpensAt,
                edge => book.Lists(edge.Descriptor.Id, title));
            items[i] = new FillItem(title.TitleId, title.Version, title.Files, sources);
        }
        return new FillPlan(assignment.Version, assignment.GeneratedAt, items);
    }

    /// <summary>One cut per edge: each group's catalog split between its edges (<see cref="GroupPlacement"/>).</summary>
    private void Shard(FleetSnapshot fleet, FillBook book, TitleOrder order, long minSize, Dictionary<string, CatalogTitle[]> fresh,
        Dictionary<string, string> edgeKeys)
    {
        var titles = order.Titles;
        var buffers = new GroupPlacement.Buffers(titles.Length);
        foreach (var (group, indices) in fleet.Groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = indices.Select(i => fleet.Edges[i]).OrderBy(e => e.Descriptor.Id, StringComparer.Ordinal).ToArray();
            var budgets = members.Select(e => Budget(e.Descriptor)).ToArray();
            var held = members.Select(e => book.Assignments.GetValueOrDefault(e.Descriptor.Id)?.Titles).ToArray();
            var region = members[0].Descriptor.SiteKind == EdgeSiteKind.IX ? null : group;
            var lists = GroupPlacement.Place(order, members, budgets, held, region, options, minSize, buffers);
            for (var k = 0; k < members.Length; k++)
            {
                var key = FillCut.KeyOfEdge(members[k].Descriptor.Id);
                fresh.Add(key, [.. lists[k].Select(i => titles[i])]);
                edgeKeys[members[k].Descriptor.Id] = key;
            }
        }
    }

    /// <summary>One cut per kind, group and disk budget, shared by those edges: the most valuable titles that fit one disk.</summary>
    private void Share(FleetSnapshot fleet, FillBook book, TitleOrder order, long minSize, Dictionary<string, CatalogTitle[]> fresh,
        Dictionary<string, string> edgeKeys)
    {
        var keys = new Dictionary<(bool Ix, string Group, long Budget), string>();
        foreach (var edge in fleet.Edges)
        {
            var descriptor = edge.Descriptor;
            var ix = descriptor.SiteKind == EdgeSiteKind.IX;
            var budget = Budget(descriptor);
            var tuple = (ix, ix ? "" : descriptor.Group, budget);
            if (!keys.TryGetValue(tuple, out var key))
            {
                key = FillCut.KeyOf(tuple.ix, tuple.Item2, budget);
                keys.Add(tuple, key);
                var held = book.Cuts.GetValueOrDefault(key)?.Titles;
                fresh.Add(key, Fill(ix ? order.ByPopularity(held) : order.ByValuePerByte(descriptor.Group, held), budget, minSize));
            }
            edgeKeys[descriptor.Id] = key;
        }
    }

    private long Budget(EdgeDescriptor descriptor) => (long)(descriptor.DiskCapacityBytes * (1 - options.DiskHeadroom));

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
