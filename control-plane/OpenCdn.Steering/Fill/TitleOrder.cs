using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// The orders plans take titles in, computed once per planning run and shared by the edges that use them:
/// IX edges by expected plays anywhere; embedded edges by expected plays in their region per byte. An order merges
/// a plan's own few titles (those its region actually played) into the common base order (global share and launch
/// boost per byte), so it costs its own titles, not a sort of the catalog; they are drawn from a heap as the plan
/// consumes them, and a plan stops when the disk is full, so most are never sorted.
/// A title the last plan held counts its value times 1 + <c>holdMargin</c>: a candidate replaces it only when it is
/// worth that much more, so plans do not swap titles on noise (each swap is an eviction and a fill). Held titles the
/// region did not play keep their base order (scaled by the same factor), so they are a third sorted stream, not heap entries.
/// Orders work on catalog positions (indices into <see cref="Titles"/>).
/// </summary>
internal sealed class TitleOrder
{
    private static readonly IComparer<(double Value, string TitleId)> First = Comparer<(double Value, string TitleId)>.Create(
        (x, y) => Before(x, y) ? -1 : Before(y, x) ? 1 : 0);

    private readonly CatalogTitle[] _titles;
    private readonly double[] _baseline;
    private readonly double[] _expected;
    private readonly Dictionary<string, int> _position;
    private readonly PopularityView _view;
    private readonly double _holdMargin;
    private readonly (int Position, double Value)[] _byExpected;
    private readonly (int Position, double Value)[] _basePerByte;
    private readonly Dictionary<string, Played[]> _regions = new(StringComparer.Ordinal);
    private ulong[]? _hashes;

    public TitleOrder(CatalogTitle[] titles, PopularityView view, double holdMargin = 0)
    {
        _titles = titles;
        _view = view;
        _holdMargin = holdMargin;
        _position = new Dictionary<string, int>(titles.Length, StringComparer.Ordinal);
        _baseline = new double[titles.Length];
        _expected = new double[titles.Length];
        for (var i = 0; i < titles.Length; i++)
        {
            _position[titles[i].TitleId] = i;
            _baseline[i] = view.Baseline(titles[i]);
            _expected[i] = view.Expected(titles[i]);
            BaselineDemand += _baseline[i] * titles[i].SizeBytes;
            DemandAnywhere += _expected[i] * titles[i].SizeBytes;
        }
        _byExpected = Sorted(titles.Select((t, i) => (i, _expected[i])));
        _basePerByte = Sorted(titles.Select((t, i) => (i, PerByte(t, _baseline[i]))));
    }

    public CatalogTitle[] Titles => _titles;

    /// <summary>Expected bytes anywhere (plays times size, summed over the catalog): the IX groups' demand.</summary>
    public double DemandAnywhere { get; }

    private double BaselineDemand { get; }

    /// <summary>Per position, the title id's rendezvous hash (<see cref="Rendezvous.Of"/>), computed once per run.</summary>
    public ulong[] Hashes => _hashes ??= [.. _titles.Select(t => Rendezvous.Of(t.TitleId))];

    /// <summary>The position of a held package, when it is still the catalog's current one (a new version is a new fill).</summary>
    public bool TryCurrent(CatalogTitle title, out int position) =>
        _position.TryGetValue(title.TitleId, out position) && _titles[position].Version == title.Version;

    /// <summary>Expected plays anywhere per position (the IX ranking); shared, do not change.</summary>
    public double[] ExpectedAnywhere => _expected;

    /// <summary>Expected plays in <paramref name="region"/> per position (its own plays plus the baseline), and their bytes summed.</summary>
    public double[] ExpectedIn(string region, out double demand)
    {
        var expected = (double[])_baseline.Clone();
        demand = BaselineDemand;
        foreach (var row in Region(region))
        {
            expected[row.Position] = row.Plays;
            demand += (row.Plays - _baseline[row.Position]) * _titles[row.Position].SizeBytes;
        }
        return expected;
    }

    /// <summary>The IX order for a cut whose last plan held <paramref name="held"/> (lazy: a plan stops when the disk is full).</summary>
    public IEnumerable<CatalogTitle> ByPopularity(CatalogTitle[]? held = null) => PositionsByPopularity(Current(held)).Select(i => _titles[i]);

    /// <summary>The embedded order for one region and a cut whose last plan held <paramref name="held"/>, produced lazily.</summary>
    public IEnumerable<CatalogTitle> ByValuePerByte(string region, CatalogTitle[]? held = null) =>
        PositionsByValuePerByte(region, Current(held)).Select(i => _titles[i]);

    /// <summary>Positions by expected plays anywhere, the <paramref name="held"/> positions (distinct) counted with the margin.</summary>
    public IEnumerable<int> PositionsByPopularity(IEnumerable<int> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var own = new Own(_titles.Length);
        foreach (var i in held)
        {
            own.Hold(i);
        }
        return Merge(_byExpected, own);
    }

    /// <summary>
    /// Positions by expected plays in <paramref name="region"/> per byte: the region's own played titles (valued once
    /// per run), and the <paramref name="held"/> ones (distinct) with the margin, merged into the shared base order.
    /// </summary>
    public IEnumerable<int> PositionsByValuePerByte(string region, IEnumerable<int> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var own = new Own(_titles.Length);
        foreach (var i in held)
        {
            own.Hold(i);
        }
        foreach (var row in Region(region))
        {
            own.Play(row.Position, PerByte(_titles[row.Position], row.Plays));
        }
        return Merge(_basePerByte, own);
    }

    /// <summary>The region's played titles, valued once per run: Expected(region, t) is the regional count plus the baseline.</summary>
    private Played[] Region(string region)
    {
        if (!_regions.TryGetValue(region, out var played))
        {
            var rows = new List<Played>();
            foreach (var (titleId, score) in _view.RegionalScores(region))
            {
                if (_position.TryGetValue(titleId, out var i))
                {
                    rows.Add(new Played(i, score + _baseline[i]));
                }
            }
            played = [.. rows];
            _regions[region] = played;
        }
        return played;
    }

    /// <summary>Positions of the held titles whose package is still the catalog's current one.</summary>
    private IEnumerable<int> Current(CatalogTitle[]? held)
    {
        if (held is null)
        {
            yield break;
        }
        foreach (var title in held)
        {
            if (TryCurrent(title, out var i))
            {
                yield return i;
            }
        }
    }

    /// <summary>
    /// Three sorted streams, best first: the base order without the plan's own titles; the held titles the region did not
    /// play, in base order at 1 + margin times their base value; and the played titles from a heap.
    /// </summary>
    private IEnumerable<int> Merge((int Position, double Value)[] sorted, Own own)
    {
        var factor = 1 + _holdMargin;
        var heap = new PriorityQueue<int, (double Value, string TitleId)>(
            own.Played.Select(i => (i, ((own.Held(i) ? factor : 1) * own.Value[i], _titles[i].TitleId))), First);
        var b = 0;
        var h = 0;
        while (true)
        {
            while (b < sorted.Length && own.Has(sorted[b].Position))
            {
                b++;
            }
            while (h < sorted.Length && !own.HeldOnly(sorted[h].Position))
            {
                h++;
            }
            var best = -1;
            (double Value, string TitleId) rank = default;
            if (b < sorted.Length)
            {
                (best, rank) = (0, (sorted[b].Value, _titles[sorted[b].Position].TitleId));
            }
            if (h < sorted.Length && (best < 0 || Before((sorted[h].Value * factor, _titles[sorted[h].Position].TitleId), rank)))
            {
                (best, rank) = (1, (sorted[h].Value * factor, _titles[sorted[h].Position].TitleId));
            }
            if (heap.TryPeek(out _, out var ownRank) && (best < 0 || Before(ownRank, rank)))
            {
                best = 2;
            }
            switch (best)
            {
                case 0:
                    yield return sorted[b++].Position;
                    break;
                case 1:
                    yield return sorted[h++].Position;
                    break;
                case 2:
                    yield return heap.Dequeue();
                    break;
                default:
                    yield break;
            }
        }
    }

    private static double PerByte(CatalogTitle title, double plays) => plays / Math.Max(1, title.SizeBytes);

    private (int Position, double Value)[] Sorted(IEnumerable<(int Position, double Value)> rows)
    {
        var array = rows.ToArray();
        var keys = array.Select(r => (r.Value, _titles[r.Position].TitleId)).ToArray();
        Array.Sort(keys, array, First);
        return array;
    }

    /// <summary>Higher value first; ties by title id, so plans are deterministic.</summary>
    private static bool Before((double Value, string TitleId) x, (double Value, string TitleId) y) =>
        x.Value > y.Value || (x.Value == y.Value && string.CompareOrdinal(x.TitleId, y.TitleId) < 0);

    private readonly record struct Played(int Position, double Plays);

    /// <summary>An order's own titles, by catalog position: which the region played (and their value), which were held.</summary>
    private sealed class Own(int titles)
    {
        private const byte IsHeld = 1;
        private const byte IsPlayed = 2;
        private readonly byte[] _flags = new byte[titles];

        public double[] Value { get; } = new double[titles];

        public List<int> Played { get; } = [];

        public bool Has(int i) => _flags[i] != 0;

        public bool Held(int i) => (_flags[i] & IsHeld) != 0;

        public bool HeldOnly(int i) => _flags[i] == IsHeld;

        public void Hold(int i) => _flags[i] |= IsHeld;

        public void Play(int i, double value)
        {
            if ((_flags[i] & IsPlayed) == 0)
            {
                _flags[i] |= IsPlayed;
                Played.Add(i);
            }
            Value[i] = value;
        }
    }
}
