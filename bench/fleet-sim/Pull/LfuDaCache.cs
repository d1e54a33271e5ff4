using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
        if (!Unsafe.IsNullRef(ref entry))
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
            entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out _);
            (entry.Bytes, entry.Count) = (wanted, 1);
            Used += wanted;
        }
        if (!Unsafe.IsNullRef(ref entry))
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

    /// <summary>A struct in the dictionary's own array: no object per entry for the collector to trace.</summary>
    private struct Entry
    {
        public long Bytes;
        public long Count;
        public long Stamp;
        public double Priority;
    }
}
