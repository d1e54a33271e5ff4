namespace OpenCdn.Steering.Prefixes;

/// <summary>
/// Collects prefixes and builds a <see cref="PrefixTrie"/>. Not thread-safe; build once, share the result. Insertion
/// waits for <see cref="Build"/> and goes in address order, so consecutive inserts walk the same, cached, path.
/// </summary>
internal sealed class PrefixTrieBuilder
{
    private readonly Dictionary<IpPrefix, int> _ids = [];
    private readonly List<IpPrefix> _prefixes = [];
    private TrieNode[] _nodes = new TrieNode[64];
    private int _nodeCount;

    public PrefixTrieBuilder()
    {
        NewNode(default, 0, -1);
    }

    public int Count => _prefixes.Count;

    /// <summary>Adds a prefix and returns its id; adding the same prefix again returns the same id.</summary>
    public int Add(IpPrefix prefix)
    {
        if (_ids.TryGetValue(prefix, out var existing))
        {
            return existing;
        }
        var id = _prefixes.Count;
        _ids.Add(prefix, id);
        _prefixes.Add(prefix);
        return id;
    }

    public PrefixTrie Build()
    {
        var prefixes = _prefixes.ToArray();
        var order = Enumerable.Range(0, prefixes.Length).ToArray();
        var keys = prefixes.Select(p => (p.Network, p.Length)).ToArray();
        Array.Sort(keys, order);
        return Assemble(prefixes, order);
    }

    /// <summary>A trie over prefixes already sorted by (network, length) and distinct; a prefix's id is its position.</summary>
    public static PrefixTrie FromSorted(IpPrefix[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        return new PrefixTrieBuilder().Assemble(prefixes, Enumerable.Range(0, prefixes.Length).ToArray());
    }

    private PrefixTrie Assemble(IpPrefix[] prefixes, int[] insertionOrder)
    {
        _nodeCount = 1;
        if (_nodes.Length < (2 * prefixes.Length) + 1)
        {
            Array.Resize(ref _nodes, (2 * prefixes.Length) + 1);
        }
        foreach (var id in insertionOrder)
        {
            Insert(prefixes[id], id);
        }
        return new PrefixTrie(_nodes.AsSpan(0, _nodeCount).ToArray(), prefixes);
    }

    private void Insert(IpPrefix prefix, int id)
    {
        var parent = -1;
        var parentBit = 0;
        var n = 0;
        while (true)
        {
            var node = _nodes[n];
            var common = Math.Min(IpKey.CommonLength(prefix.Network, node.Key), Math.Min(prefix.Length, node.Length));
            if (common == node.Length)
            {
                if (prefix.Length == node.Length)
                {
                    _nodes[n].PrefixId = id;
                    return;
                }
                var bit = IpKey.Bit(prefix.Network, node.Length);
                var child = node.Child(bit);
                if (child < 0)
                {
                    var leaf = NewNode(prefix.Network, prefix.Length, id);
                    _nodes[n].SetChild(bit, leaf);
                    return;
                }
                (parent, parentBit, n) = (n, bit, child);
                continue;
            }
            // The new prefix parts from this node above it (the root, of length 0, never gets here).
            int split;
            if (common == prefix.Length)
            {
                split = NewNode(prefix.Network, prefix.Length, id);
            }
            else
            {
                split = NewNode(prefix.Network & IpKey.Mask(common), common, -1);
                var leaf = NewNode(prefix.Network, prefix.Length, id);
                _nodes[split].SetChild(IpKey.Bit(prefix.Network, common), leaf);
            }
            _nodes[split].SetChild(IpKey.Bit(node.Key, common), n);
            _nodes[parent].SetChild(parentBit, split);
            return;
        }
    }

    private int NewNode(UInt128 key, int length, int prefixId)
    {
        if (_nodeCount == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }
        _nodes[_nodeCount] = new TrieNode(key, length, prefixId);
        return _nodeCount++;
    }
}
