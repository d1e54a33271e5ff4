namespace OpenCdn.Steering.Popularity;

/// <summary>
/// A bounded multi-producer, single-consumer ring of plays (Vyukov's sequence-numbered slots): enqueueing is one
/// compare-and-swap and allocates nothing, so recording a play never feeds the garbage collector on the decision path.
/// When the ring is full the play is refused and the caller counts it.
/// </summary>
internal sealed class PlayQueue
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private long _tail;
    private long _head;

    public PlayQueue(int capacity)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _slots = new Slot[size];
        _mask = size - 1;
        for (var i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    public int Capacity => _slots.Length;

    /// <summary>Adds a play from any thread; false when the ring is full.</summary>
    public bool TryEnqueue(in Play play)
    {
        var position = Volatile.Read(ref _tail);
        while (true)
        {
            ref var slot = ref _slots[position & _mask];
            var difference = Volatile.Read(ref slot.Sequence) - position;
            if (difference == 0)
            {
                var seen = Interlocked.CompareExchange(ref _tail, position + 1, position);
                if (seen == position)
                {
                    slot.Play = play;
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return true;
                }
                position = seen;
            }
            else if (difference < 0)
            {
                return false;
            }
            else
            {
                position = Volatile.Read(ref _tail);
            }
        }
    }

    /// <summary>Takes the oldest play; one consumer at a time (the caller holds a lock).</summary>
    public bool TryDequeue(out Play play)
    {
        ref var slot = ref _slots[_head & _mask];
        if (Volatile.Read(ref slot.Sequence) != _head + 1)
        {
            play = default;
            return false;
        }
        play = slot.Play;
        slot.Play = default;
        Volatile.Write(ref slot.Sequence, _head + _slots.Length);
        _head++;
        return true;
    }

    private struct Slot
    {
        public long Sequence;
        public Play Play;
    }
}
