namespace OpenCdn.FleetSim.Pull;

/// <summary>
/// Least recently used: a hit moves the entry to the front, the back goes first. The entries live in arrays, linked
/// by index: no object per entry, so a thousand caches of thousands of entries give the collector nothing to trace.
/// </summary>
internal sealed class LruCache(long capacity) : ICache
{
    private const int None = -1;

    private readonly Dictionary<long, int> _slots = [];
    private long[] _keys = [];
    private long[] _sizes = [];
    private int[] _prev = [];
    private int[] _next = [];
    private int _head = None; // the most recently used
    private int _tail = None; // the least recently used
    private int _free = None; // released slots, chained through _next
    private int _issued;

    public long Used { get; private set; }

    public long Evicted { get; private set; }

    public long Request(long key, long wanted)
    {
        long had = 0;
        if (_slots.TryGetValue(key, out var slot))
        {
            had = _sizes[slot];
            Unlink(slot);
            if (wanted > had)
            {
                Used += wanted - had;
                _sizes[slot] = wanted;
            }
            PushFront(slot);
        }
        else if (wanted <= capacity)
        {
            slot = Take(key, wanted);
            _slots[key] = slot;
            PushFront(slot);
            Used += wanted;
        }
        else
        {
            slot = None;
        }
        while (Used > capacity && _tail != None && _tail != slot)
        {
            var last = _tail;
            Used -= _sizes[last];
            Evicted += _sizes[last];
            _slots.Remove(_keys[last]);
            Release(last);
        }
        if (Used > capacity && slot != None)
        {
            Used -= _sizes[slot]; // larger than the whole cache: not kept
            _slots.Remove(key);
            Release(slot);
        }
        return Math.Min(had, wanted);
    }

    public void Clear()
    {
        _slots.Clear();
        (_head, _tail, _free, _issued) = (None, None, None, 0);
        Used = 0;
    }

    private int Take(long key, long size)
    {
        int slot;
        if (_free != None)
        {
            (slot, _free) = (_free, _next[_free]);
        }
        else
        {
            if (_issued == _keys.Length)
            {
                var length = Math.Max(64, _keys.Length * 2);
                Array.Resize(ref _keys, length);
                Array.Resize(ref _sizes, length);
                Array.Resize(ref _prev, length);
                Array.Resize(ref _next, length);
            }
            slot = _issued++;
        }
        (_keys[slot], _sizes[slot]) = (key, size);
        return slot;
    }

    private void Release(int slot)
    {
        Unlink(slot);
        (_next[slot], _free) = (_free, slot);
    }

    private void Unlink(int slot)
    {
        var (prev, next) = (_prev[slot], _next[slot]);
        if (prev != None)
        {
            _next[prev] = next;
        }
        else
        {
            _head = next;
        }
        if (next != None)
        {
            _prev[next] = prev;
        }
        else
        {
            _tail = prev;
        }
    }

    private void PushFront(int slot)
    {
        (_prev[slot], _next[slot]) = (None, _head);
        if (_head != None)
        {
            _prev[_head] = slot;
        }
        else
        {
            _tail = slot;
        }
        _head = slot;
    }
}
