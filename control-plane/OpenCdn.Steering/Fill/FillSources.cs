using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Which peers an edge fills an item from: same group, holding the exact package, up and not draining, most headroom
/// first; each with the token that peer accepts for the title.
/// </summary>
internal static class FillSources
{
    public static List<FillSource> Peers(
        FleetSnapshot fleet, ReadOnlySpan<int> group, EdgeState? self, CatalogTitle title, int max, PeerTokenFactory tokens, long nowTicks)
    {
        var options = fleet.Options;
        var index = fleet.Catalog.Indices.GetValueOrDefault(title.TitleId, -1);
        var candidates = new List<EdgeState>();
        foreach (var member in group)
        {
            var peer = fleet.Edges[member];
            if (peer == self || index < 0 || !peer.Inventory.Holds(index, title.Version))
            {
                continue;
            }
            var status = peer.StatusAt(nowTicks, options.DownAfter.Ticks, options.LoadCeiling);
            if (status is EdgeStatus.Healthy or EdgeStatus.Degraded)
            {
                candidates.Add(peer);
            }
        }
        return [.. candidates
            .OrderByDescending(p => p.Headroom(options.LoadCeiling))
            .ThenBy(p => p.Descriptor.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(p => new FillSource(FillSourceKind.Peer, p.Descriptor.Name, p.Descriptor.BaseUrl, null, tokens(p.Descriptor.Id, title.TitleId)))];
    }
}
