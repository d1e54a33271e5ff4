using System.Collections.Frozen;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// Everything a decision or a fill plan reads, immutable and swapped whole: the edges with their last heartbeat and
/// inventory, the prefix and geo maps, the IX sites by distance and the catalog.
/// </summary>
internal sealed record FleetSnapshot(
    long Generation,
    DateTimeOffset BuiltAt,
    SteeringOptions Options,
    EdgeState[] Edges,
    FrozenDictionary<string, int> EdgeIndex,
    AddressMap Prefixes,
    AddressMap Geo,
    LocationTable Locations,
    IxMap Ix,
    SiteHoldings IxHoldings,
    FrozenDictionary<string, int[]> Groups,
    CatalogIndex Catalog)
{
    public static FleetSnapshot Empty(SteeringOptions options) => new(0, DateTimeOffset.MinValue, options, [],
        FrozenDictionary<string, int>.Empty, AddressMap.Empty, AddressMap.Empty, new LocationTable(),
        IxMap.Build([], new LocationTable(), 1, -1), SiteHoldings.Empty, FrozenDictionary<string, int[]>.Empty, CatalogIndex.Empty);

    /// <summary>The edges of one ISP or IX site (see <see cref="EdgeDescriptor.Group"/>): each other's fill peers.</summary>
    public ReadOnlySpan<int> Group(string group) => Groups.TryGetValue(group, out var members) ? members : [];

    public EdgeState? FindEdge(string edgeId) => EdgeIndex.TryGetValue(edgeId, out var index) ? Edges[index] : null;

    /// <summary>
    /// Where the client is (a location id, or -1) and its popularity region: the longest edge prefix that has them,
    /// else the longest geo-table row.
    /// </summary>
    public int Locate(ReadOnlySpan<int> edgePrefixesLongestFirst, UInt128 address, out string? region)
    {
        region = null;
        var location = -1;
        foreach (var prefix in edgePrefixesLongestFirst)
        {
            region ??= Prefixes.Region(prefix);
            location = location >= 0 ? location : Prefixes.Location(prefix);
            if (location >= 0 && region is not null)
            {
                return location;
            }
        }
        if (location < 0 || region is null)
        {
            var geo = Geo.Trie.Longest(address);
            if (geo >= 0)
            {
                region ??= Geo.Region(geo);
                location = location >= 0 ? location : Geo.Location(geo);
            }
        }
        return location;
    }
}
