using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// What a client address tells steering: per prefix of a <see cref="PrefixTrie"/>, the embedded edges that announce it
/// (flat arrays, one slice per prefix), where its clients are (a <see cref="LocationTable"/> id, or -1) and their region.
/// </summary>
internal sealed class AddressMap
{
    private readonly int[] _edgeStart;
    private readonly int[] _edges;
    private readonly int[] _locations;
    private readonly string?[] _regions;

    internal AddressMap(PrefixTrie trie, int[] edgeStart, int[] edges, int[] locations, string?[] regions)
    {
        Trie = trie;
        _edgeStart = edgeStart;
        _edges = edges;
        _locations = locations;
        _regions = regions;
    }

    public static AddressMap Empty { get; } = new AddressMapBuilder().Build();

    public PrefixTrie Trie { get; }

    public ReadOnlySpan<int> Edges(int prefixId) => _edges.AsSpan(_edgeStart[prefixId], _edgeStart[prefixId + 1] - _edgeStart[prefixId]);

    public int Location(int prefixId) => _locations[prefixId];

    public string? Region(int prefixId) => _regions[prefixId];
}
