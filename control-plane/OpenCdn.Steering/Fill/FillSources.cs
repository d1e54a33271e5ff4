using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Which peers an edge fills an item from: same group, holding the exact package, up and not draining, most headroom
/// first; each with the token that peer accepts for the title. When no peer holds it yet, one edge of the group, the
/// title's <see cref="Seeder"/>, fetches it from origin first; the others list the seeder as their peer and may use
/// origin only after a wait, so a group pulls one copy of a title over transit instead of one per edge.
/// </summary>
internal static class FillSources
{
    public static List<FillSource> Peers(
        FleetSnapshot fleet, ReadOnlySpan<int> group, EdgeState? self, CatalogTitle title, int max, PeerTokenFactory tokens, long nowTicks)
    {
        var options = fleet.Options;
        var index = fleet.Catalog.Indices.GetValueOrDefault(title.TitleId, -1);
        List<EdgeState>? candidates = null;
        foreach (var member in group)
        {
            var peer = fleet.Edges[member];
            if (peer == self || index < 0 || !peer.Inventory.Holds(index, title.Version))
            {
                continue;
            }
            if (IsUp(peer, fleet, nowTicks))
            {
                (candidates ??= []).Add(peer);
            }
        }
        if (candidates is null)
        {
            return new List<FillSource>(1);
        }
        // Most headroom first, then by id: an insertion sort of a few peers, without LINQ or a comparer (this runs for
        // every item of every plan).
        for (var i = 1; i < candidates.Count; i++)
        {
            var peer = candidates[i];
            var j = i - 1;
            for (; j >= 0 && Before(peer, candidates[j], options.LoadCeiling); j--)
            {
                candidates[j + 1] = candidates[j];
            }
            candidates[j + 1] = peer;
        }
        var sources = new List<FillSource>(Math.Min(max, candidates.Count) + 1);
        for (var i = 0; i < candidates.Count && i < max; i++)
        {
            sources.Add(Source(candidates[i], title, tokens));
        }
        return sources;
    }

    private static bool Before(EdgeState a, EdgeState b, double ceiling)
    {
        var (x, y) = (a.Headroom(ceiling), b.Headroom(ceiling));
        return x > y || (x == y && string.CompareOrdinal(a.Descriptor.Id, b.Descriptor.Id) < 0);
    }

    /// <summary>
    /// Every source of one item, in the order the edge tries them: the peers holding it, else (when
    /// <paramref name="self"/> is not the title's seeder) the seeder, which will; then origin, open at once when a peer
    /// holds it or this edge seeds, else from <paramref name="originOpensAt"/> on (the seeder had its chance).
    /// </summary>
    public static List<FillSource> For(
        FleetSnapshot fleet, ReadOnlySpan<int> group, EdgeState? self, CatalogTitle title, int max, PeerTokenFactory tokens,
        long nowTicks, IReadOnlyDictionary<string, Uri> originUrls, DateTimeOffset originOpensAt, Func<EdgeState, bool> plansIt)
    {
        ArgumentNullException.ThrowIfNull(plansIt);
        var sources = Peers(fleet, group, self, title, max, tokens, nowTicks);
        DateTimeOffset? notBefore = null;
        if (sources.Count == 0 && max > 0 && Seeder(fleet, group, title.TitleId, nowTicks, plansIt) is { } seeder && seeder != self)
        {
            sources.Add(Source(seeder, title, tokens));
            notBefore = originOpensAt;
        }
        sources.Add(new FillSource(FillSourceKind.Origin, "origin", null, originUrls, NotBefore: notBefore));
        return sources;
    }

    /// <summary>
    /// The edge of the group that fetches <paramref name="titleId"/> from origin when no peer holds it: the highest
    /// rendezvous hash of (edge id, title id) among the members that are up and whose plan lists it (<paramref name="plansIt"/>).
    /// Every control-plane instance picks the same one, titles spread evenly over the group, and an edge that goes
    /// down moves only its own titles to other seeders.
    /// </summary>
    public static EdgeState? Seeder(FleetSnapshot fleet, ReadOnlySpan<int> group, string titleId, long nowTicks, Func<EdgeState, bool> plansIt)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(plansIt);
        EdgeState? best = null;
        var bestScore = 0UL;
        foreach (var member in group)
        {
            var edge = fleet.Edges[member];
            if (!IsUp(edge, fleet, nowTicks) || !plansIt(edge))
            {
                continue;
            }
            var score = Fill.Rendezvous.Score(edge.Descriptor.Id, titleId);
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(edge.Descriptor.Id, best.Descriptor.Id) < 0))
            {
                (best, bestScore) = (edge, score);
            }
        }
        return best;
    }

    private static bool IsUp(EdgeState edge, FleetSnapshot fleet, long nowTicks) =>
        edge.StatusAt(nowTicks, fleet.Options.DownAfter.Ticks, fleet.Options.LoadCeiling) is EdgeStatus.Healthy or EdgeStatus.Degraded;

    private static FillSource Source(EdgeState peer, CatalogTitle title, PeerTokenFactory tokens) =>
        new(FillSourceKind.Peer, peer.Descriptor.Name, peer.Descriptor.BaseUrl, null, tokens(peer.Descriptor.Id, title.TitleId));
}
