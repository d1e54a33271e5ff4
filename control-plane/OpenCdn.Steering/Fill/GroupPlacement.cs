using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Splits the catalog between the edges of one group (an ISP's embedded edges, an exchange's IX edges), as Open Connect
/// splits it between the appliances of a site: titles in the group's order (most valuable first), each on
/// r = clamp(ceil(share of the group's expected bytes / (one edge's share × <see cref="FillOptions.ReplicaLoad"/>)), 1, edges)
/// edges, those with the highest rendezvous score for the title that still have room; until the disks are full. When
/// every title has its copies and room is left (an exchange whose disks hold the catalog twice), further passes give the
/// titles, in order, one more copy each. A title an edge held in its last plan stays there while it keeps its place (with
/// the order's hold margin, plans are stable under small popularity changes), and its room is kept for it until the
/// order reaches it: new copies go where no held title waits. A title the group did not hold may take a held title's
/// room when nothing else is free; the titles pushed out leave the group rather than move to another edge (a move is an
/// eviction and a fill, and it would push that edge's last title out in turn). A title whose edge left the group is new
/// to it and goes to its next choice. One pass costs the titles taken times the group's edges.
/// </summary>
internal static class GroupPlacement
{
    /// <summary>Per member (same order), the positions it must hold, most valuable first.</summary>
    public static List<int>[] Place(TitleOrder order, EdgeState[] members, long[] budgets, CatalogTitle[]?[] held, string? region,
        FillOptions options, long minSize, Buffers buffers)
    {
        var n = members.Length;
        var titles = order.Titles;
        var words = (n + 63) >> 6;
        var (holders, placedBits) = buffers.Bits(titles.Length * words);
        var heldPositions = new List<int>();
        var reserved = new long[n];
        for (var k = 0; k < n; k++)
        {
            foreach (var title in held[k] ?? [])
            {
                if (order.TryCurrent(title, out var i) && !Has(holders, i, words, k))
                {
                    if (!Any(holders, i, words))
                    {
                        heldPositions.Add(i);
                    }
                    Set(holders, i, words, k);
                    reserved[k] += titles[i].SizeBytes;
                }
            }
        }
        double[] expected;
        double demand;
        if (region is null)
        {
            (expected, demand) = (order.ExpectedAnywhere, order.DemandAnywhere);
        }
        else
        {
            expected = order.ExpectedIn(region, buffers.Expected, out demand);
        }
        var positions = region is null ? order.PositionsByPopularity(heldPositions) : order.PositionsByValuePerByte(region, heldPositions);

        var state = new State(order.Hashes, members, budgets, holders, placedBits, reserved, words, minSize)
        {
            // Plans are stable: a member's last plan is the size its next one will be, about.
            Lists = [.. held.Select(h => new List<int>(h?.Length ?? 0))],
        };
        var placed = new List<int>();
        var misfits = 0;
        var more = true;
        foreach (var i in positions)
        {
            if (state.Roomy == 0 || misfits >= options.MaxConsecutiveMisfits)
            {
                more = false; // the disks are full before the order ends
                break;
            }
            var size = titles[i].SizeBytes;
            var replicas = demand <= 0 ? 1 : (int)Math.Ceiling(expected[i] * size / demand * n / options.ReplicaLoad);
            replicas = Math.Clamp(replicas, 1, n);
            var copies = 0;
            var wasHeld = Any(holders, i, words);
            // Where it is held first; then new copies in room no held title waits for; a title the group did not hold
            // at all may take the room of the held titles that come last (they leave the group instead of moving).
            while (wasHeld && copies < replicas && state.TakeHolder(i, size))
            {
                copies++;
            }
            while (copies < replicas && state.Take(i, size, Where.FreeRoom))
            {
                copies++;
            }
            if (copies == 0 && !wasHeld && state.Take(i, size, Where.AnyRoom))
            {
                copies++;
            }
            state.Release(i, size);
            if (copies == 0)
            {
                misfits++;
                continue;
            }
            misfits = 0;
            placed.Add(i);
        }
        // Room left after every title has its copies: more copies, one more per title and pass, most valuable first.
        for (var pass = 2; more && pass <= n && state.Roomy > 0; pass++)
        {
            var added = false;
            foreach (var i in placed)
            {
                if (state.Roomy == 0)
                {
                    break;
                }
                if (state.Copies(i) < pass)
                {
                    added |= state.TakeHolder(i, titles[i].SizeBytes) || state.Take(i, titles[i].SizeBytes, Where.AnyRoom);
                }
            }
            more = added;
        }
        return state.Lists;
    }

    /// <summary>
    /// The arrays one planning run's placements reuse group after group (a run places one group at a time): the
    /// group's who-holds-what and who-got-what bits, and the expected plays in its region.
    /// </summary>
    internal sealed class Buffers(int titles)
    {
        private ulong[] _holders = [];
        private ulong[] _placed = [];

        public double[] Expected { get; } = new double[titles];

        /// <summary>Both bit arrays, cleared for <paramref name="length"/> words.</summary>
        public (ulong[] Holders, ulong[] Placed) Bits(int length)
        {
            if (_holders.Length < length)
            {
                (_holders, _placed) = (new ulong[length], new ulong[length]);
            }
            else
            {
                Array.Clear(_holders, 0, length);
                Array.Clear(_placed, 0, length);
            }
            return (_holders, _placed);
        }
    }

    /// <summary>Which members that did not hold the title may take a copy: those with room no held title waits for; any.</summary>
    private enum Where
    {
        FreeRoom,
        AnyRoom,
    }

    private static bool Any(ulong[] bits, int position, int words)
    {
        for (var w = 0; w < words; w++)
        {
            if (bits[(position * words) + w] != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Has(ulong[] bits, int position, int words, int member) =>
        (bits[(position * words) + (member >> 6)] & (1UL << member)) != 0;

    private static void Set(ulong[] bits, int position, int words, int member) =>
        bits[(position * words) + (member >> 6)] |= 1UL << member;

    /// <summary>The group's disks as titles are placed: room left per member, who holds what, and the current title's scores.</summary>
    private sealed class State
    {
        private readonly ulong[] _titleHashes;
        private readonly ulong[] _edgeHashes;
        private readonly long[] _room;
        private readonly ulong[] _held;
        private readonly long[] _reserved;
        private readonly ulong[] _placed;
        private readonly int _words;
        private readonly long _minSize;
        private readonly ulong[] _scores;
        private int _scored = -1;

        public State(ulong[] titleHashes, EdgeState[] members, long[] budgets, ulong[] held, ulong[] placed, long[] reserved, int words,
            long minSize)
        {
            _titleHashes = titleHashes;
            _edgeHashes = [.. members.Select(m => Rendezvous.Of(m.Descriptor.Id))];
            _room = [.. budgets];
            _held = held;
            _reserved = reserved;
            _placed = placed;
            _words = words;
            _minSize = minSize;
            _scores = new ulong[members.Length];
            Roomy = _room.Count(r => r > 0 && r >= minSize);
        }

        public required List<int>[] Lists { get; init; }

        /// <summary>Members with room for the smallest title.</summary>
        public int Roomy { get; private set; }

        /// <summary>The title was placed: the room its holders kept for it is theirs again (taken, or free if it left them).</summary>
        public void Release(int position, long size)
        {
            for (var w = 0; w < _words; w++)
            {
                for (var bits = _held[(position * _words) + w]; bits != 0; bits &= bits - 1)
                {
                    _reserved[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)] -= size;
                }
            }
        }

        public int Copies(int position)
        {
            var count = 0;
            for (var w = 0; w < _words; w++)
            {
                count += System.Numerics.BitOperations.PopCount(_placed[(position * _words) + w]);
            }
            return count;
        }

        /// <summary>
        /// One more copy of the title on the highest-scored member that held it, has room for it and has no copy yet;
        /// false when none has. Only the holders are looked at (a title has few).
        /// </summary>
        public bool TakeHolder(int position, long size)
        {
            var best = -1;
            var bestScore = 0UL;
            for (var w = 0; w < _words; w++)
            {
                var at = (position * _words) + w;
                for (var bits = _held[at] & ~_placed[at]; bits != 0; bits &= bits - 1)
                {
                    var k = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    var score = Rendezvous.Score(_edgeHashes[k], _titleHashes[position]);
                    if (_room[k] >= size && (best < 0 || score > bestScore))
                    {
                        (best, bestScore) = (k, score);
                    }
                }
            }
            return best >= 0 && Put(position, size, best);
        }

        /// <summary>
        /// One more copy of the title on the highest-scored member that did not hold it, is <paramref name="where"/> and
        /// has room for it; false when none has. The title's scores are computed on its first call.
        /// </summary>
        public bool Take(int position, long size, Where where)
        {
            if (_scored != position)
            {
                var title = _titleHashes[position];
                for (var k = 0; k < _scores.Length; k++)
                {
                    _scores[k] = Rendezvous.Score(_edgeHashes[k], title);
                }
                _scored = position;
            }
            var best = -1;
            for (var k = 0; k < _scores.Length; k++)
            {
                if (_room[k] < size || Has(_placed, position, _words, k) || Has(_held, position, _words, k)
                    || (where == Where.FreeRoom && _room[k] - _reserved[k] < size))
                {
                    continue;
                }
                if (best < 0 || _scores[k] > _scores[best])
                {
                    best = k;
                }
            }
            return best >= 0 && Put(position, size, best);
        }

        private bool Put(int position, long size, int best)
        {
            Set(_placed, position, _words, best);
            Lists[best].Add(position);
            var before = _room[best];
            _room[best] -= size;
            if (before >= _minSize && _room[best] < _minSize)
            {
                Roomy--;
            }
            return true;
        }
    }
}
