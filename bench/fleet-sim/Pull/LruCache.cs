namespace OpenCdn.FleetSim.Pull;

/// <summary>Least recently used: a hit moves the entry to the front, the back goes first.</summary>
internal sealed class LruCache(long capacity) : ICache
{
    private readonly Dictionary<long, LinkedListNode<(long Key, long Bytes)>> _entries = [];
    private readonly LinkedList<(long Key, long Bytes)> _order = new();

    public long Used { get; private set; }

    public long Evicted { get; private set; }

    public long Request(long key, long wanted)
    {
        long had = 0;
        if (_entries.TryGetValue(key, out var node))
        {
            had = node.Value.Bytes;
            _order.Remove(node);
            if (wanted > had)
            {
                Used += wanted - had;
                node.Value = (key, wanted);
            }
            _order.AddFirst(node);
        }
        else if (wanted <= capacity)
        {
            node = _order.AddFirst((key, wanted));
            _entries[key] = node;
            Used += wanted;
        }
        while (Used > capacity && _order.Last is { } last && last != node)
        {
            Used -= last.Value.Bytes;
            Evicted += last.Value.Bytes;
            _entries.Remove(last.Value.Key);
            _order.RemoveLast();
        }
        if (Used > capacity && node is not null)
        {
            Used -= node.Value.Bytes; // larger than the whole cache: not kept
            _entries.Remove(key);
            _order.Remove(node);
        }
        return Math.Min(had, wanted);
    }

    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
        Used = 0;
    }
}
