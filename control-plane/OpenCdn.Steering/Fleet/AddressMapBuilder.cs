using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>Collects (prefix, edge, location, region) rows into an <see cref="AddressMap"/>; the first location and region given for a prefix win.</summary>
internal sealed class AddressMapBuilder
{
    private readonly PrefixTrieBuilder _trie = new();
    private readonly List<(int Prefix, int Edge)> _rows = [];
    private readonly List<int> _locations = [];
    private readonly List<string?> _regions = [];

    /// <param name="edge">the edge index to list under the prefix, or -1 to record only location and region.</param>
    public void Add(IpPrefix prefix, int edge, int location, string? region)
    {
        var id = _trie.Add(prefix);
        if (id == _locations.Count)
        {
            _locations.Add(location);
            _regions.Add(region);
        }
        else
        {
            _locations[id] = _locations[id] >= 0 ? _locations[id] : location;
            _regions[id] ??= region;
        }
        if (edge >= 0)
        {
            _rows.Add((id, edge));
        }
    }

    public AddressMap Build()
    {
        // Counting sort of the rows by prefix: edges stay in the order they were added within a prefix.
        var start = new int[_locations.Count + 1];
        foreach (var (prefix, _) in _rows)
        {
            start[prefix + 1]++;
        }
        for (var i = 1; i < start.Length; i++)
        {
            start[i] += start[i - 1];
        }
        var edges = new int[_rows.Count];
        var next = start[..^1];
        foreach (var (prefix, edge) in _rows)
        {
            edges[next[prefix]++] = edge;
        }
        return new AddressMap(_trie.Build(), start, edges, [.. _locations], [.. _regions]);
    }
}
