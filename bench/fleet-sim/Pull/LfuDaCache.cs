namespace OpenCdn.FleetSim.Pull;

/// <summary>
/// LFU with dynamic aging (Arlitt et al., 2000), the byte-hit-ratio variant of GDSF: an entry's priority is L + its
/// request count, the lowest goes first and L rises to the priority of what went, so old favourites age out.
/// </summary>
internal sealed class LfuDaCache(long capacity) : ICache
{
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly PriorityQueue<long, (double Priority, long Stamp)> _queue = new();
    private double _age;
    private long _stamp;

    public long Used { get; private set; }

    public long Evicted { get; private set; }

    public long Request(long key, long wanted)
    {
        long had = 0;
        if (_entries.TryGetValue(key, out var entry))
        {
            had = entry.Bytes;
            if (wanted > had)
            {
                Used += wanted - had;
                entry.Bytes = wanted;
            }
            entry.Count++;
        }
        else if (wanted <= capacity)
        {
            entry = new Entry { Bytes = wanted, Count = 1 };
            _entries[key] = entry;
            Used += wanted;
        }
        if (entry is not null)
        {
            entry.Stamp = ++_stamp;
            entry.Priority = _age + entry.Count;
            _queue.Enqueue(key, (entry.Priority, entry.Stamp));
        }
        while (Used > capacity && _queue.TryDequeue(out var victim, out var rank))
        {
            if (!_entries.TryGetValue(victim, out var gone) || gone.Stamp != rank.Stamp)
            {
                continue; // a stale queue row: the entry was requested again since
            }
            _age = rank.Priority;
            Used -= gone.Bytes;
            Evicted += gone.Bytes;
            _entries.Remove(victim);
        }
        if (_queue.Count > (4 * _entries.Count) + 1024)
        {
            Compact();
        }
        return Math.Min(had, wanted);
    }

    public void Clear()
    {
        _entries.Clear();
        _queue.Clear();
        Used = 0;
    }

    private void Compact()
    {
        _queue.Clear();
        foreach (var (key, entry) in _entries)
        {
            _queue.Enqueue(key, (entry.Priority, entry.Stamp));
        }
    }

    private sealed class Entry
    {
        public long Bytes { get; set; }

        public long Count { get; set; }

        public long Stamp { get; set; }

        public double Priority { get; set; }
    }
}
