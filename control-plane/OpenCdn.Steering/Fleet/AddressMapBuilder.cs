using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// Collects (prefix, edge, location, region) rows into an <see cref="AddressMap"/>. Build sorts the rows by prefix once:
/// equal prefixes become one id with their edges side by side (in the order added), and the trie is filled in address
/// order. The first location and region given for a prefix win.
/// </summary>
internal sealed class AddressMapBuilder
{
    private readonly List<(IpPrefix Prefix, int Edge, int Location, string? Region)> _rows = [];

    /// <param name="edge">the edge index to list under the prefix, or -1 to record only location and region.</param>
    public void Add(IpPrefix prefix, int edge, int location, string? region) => _rows.Add((prefix, edge, location, region));

    public AddressMap Build()
    {
        var keys = new (UInt128 Network, int Length, int Row)[_rows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (_rows[i].Prefix.Network, _rows[i].Prefix.Length, i);
        }
        Array.Sort(keys);
        var prefixes = new List<IpPrefix>();
        var edgeStart = new List<int>();
        var edges = new List<int>();
        var locations = new List<int>();
        var regions = new List<string?>();
        foreach (var (_, _, index) in keys)
        {
            var row = _rows[index];
            var id = prefixes.Count - 1;
            if (id < 0 || prefixes[id] != row.Prefix)
            {
                prefixes.Add(row.Prefix);
                edgeStart.Add(edges.Count);
                locations.Add(row.Location);
                regions.Add(row.Region);
            }
            else
            {
                locations[id] = locations[id] >= 0 ? locations[id] : row.Location;
                regions[id] ??= row.Region;
            }
            if (row.Edge >= 0)
            {
                edges.Add(row.Edge);
            }
        }
        edgeStart.Add(edges.Count);
        return new AddressMap(PrefixTrieBuilder.FromSorted([.. prefixes]), [.. edgeStart], [.. edges], [.. locations], [.. regions]);
    }
}
