namespace OpenCdn.Steering.Prefixes;

/// <summary>
/// An immutable longest-prefix-match table over IPv4 and IPv6 (see <see cref="IpKey"/>): a path-compressed binary trie
/// in one array of structs, so a lookup is a short walk with no allocation and no lock. Prefix ids are dense, in the
/// order the builder first saw each distinct prefix; callers keep their payloads in arrays indexed by them.
/// </summary>
internal sealed class PrefixTrie
{
    /// <summary>The most prefixes one address can match (every length from /0 to /128).</summary>
    public const int MaxMatches = 129;

    private readonly TrieNode[] _nodes;
    private readonly IpPrefix[] _prefixes;

    internal PrefixTrie(TrieNode[] nodes, IpPrefix[] prefixes)
    {
        _nodes = nodes;
        _prefixes = prefixes;
    }

    public static PrefixTrie Empty { get; } = new PrefixTrieBuilder().Build();

    public int PrefixCount => _prefixes.Length;

    public int NodeCount => _nodes.Length;

    public IpPrefix Prefix(int prefixId) => _prefixes[prefixId];

    /// <summary>The id of the longest prefix that contains <paramref name="address"/>, or -1.</summary>
    public int Longest(UInt128 address)
    {
        Span<int> longest = stackalloc int[1];
        return Matches(address, longest) == 0 ? -1 : longest[0];
    }

    /// <summary>
    /// Writes the ids of every prefix containing <paramref name="address"/>, longest first, and returns how many.
    /// <paramref name="ids"/> should hold <see cref="MaxMatches"/>; when shorter, the longest matches are kept.
    /// </summary>
    public int Matches(UInt128 address, Span<int> ids)
    {
        var nodes = _nodes;
        var count = 0;
        var n = 0;
        while (n >= 0)
        {
            ref readonly var node = ref nodes[n];
            if (((address ^ node.Key) & IpKey.Mask(node.Length)) != 0)
            {
                break;
            }
            if (node.PrefixId >= 0)
            {
                if (count == ids.Length)
                {
                    ids[1..].CopyTo(ids);
                    count--;
                }
                ids[count++] = node.PrefixId;
            }
            if (node.Length == 128)
            {
                break;
            }
            n = node.Child(IpKey.Bit(address, node.Length));
        }
        ids[..count].Reverse();
        return count;
    }
}
