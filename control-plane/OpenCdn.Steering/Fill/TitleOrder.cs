using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// The orders plans take titles in, computed once per planning run and shared by the edges that use them:
/// IX edges by expected plays anywhere; embedded edges by expected plays in their region per byte. An order merges
/// the titles its region actually played (sorted once per run and region) into the common base order (global share
/// and launch boost per byte), so it costs its own titles, not a sort of the catalog per plan.
/// A title the last plan held counts its value times 1 + <c>holdMargin</c>: a candidate replaces it only when it is
/// worth that much more, so plans do not swap titles on noise (each swap is an eviction and a fill). Scaling keeps a
/// sorted run sorted, so held titles are two more filtered walks of the same sorted arrays: four streams, merged lazily.
/// Orders work on catalog positions (indices into <see cref="Titles"/>).
/// </summary>
internal sealed class TitleOrder
{
    private readonly CatalogTitle[] _titles;
    private readonly double[] _baseline;
    private readonly double[] _expected;
    private readonly Dictionary<string, int> _position;
    private readonly Dictionary<CatalogTitle, int> _positionOf;
    private readonly PopularityView _view;
    private readonly double _holdMargin;
    private readonly (int Position, double Value)[] _byExpected;
    private readonly (int Position, double Value)[] _basePerByte;
    private readonly Dictionary<string, (Played[] Rows, (int Position, double Value)[] Sorted)> _regions = new(StringComparer.Ordinal);
    private ulong[]? _hashes;

    public TitleOrder(CatalogTitle[] titles, PopularityView view, double holdMargin = 0)
    {
        _titles = titles;
        _view = view;
        _holdMargin = holdMargin;
        _position = new Dictionary<string, int>(titles.Length, StringComparer.Ordinal);
        _positionOf = new Dictionary<CatalogTitle, int>(titles.Length, ReferenceEqualityComparer.Instance);
        _baseline = new double[titles.Length];
        _expected = new double[titles.Length];
        for (var i = 0; i < titles.Length; i++)
        {
            _position[titles[i].TitleId] = i;
            _positionOf[titles[i]] = i;
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

    /// <summary>Per position, the title id's rendezvous hash (<see cref="CatalogTitle.IdHash"/>).</summary>
    public ulong[] Hashes => _hashes ??= [.. _titles.Select(t => t.IdHash)];

    /// <summary>
    /// The position of a held package, when it is still the catalog's current one (a new version is a new fill). A plan
    /// cut from this catalog holds its very objects, found without hashing the id; a plan read back from storage is looked
    /// up by id.
    /// </summary>
    public bool TryCurrent(CatalogTitle title, out int position) =>
        _positionOf.TryGetValue(title, out position)
        || (_position.TryGetValue(title.TitleId, out position) && _titles[position].Version == title.Version);

    /// <summary>Expected plays anywhere per position (the IX ranking); shared, do not change.</summary>
    public double[] ExpectedAnywhere => _expected;

    /// <summary>
    /// Expected plays in <paramref name="region"/> per position (its own plays plus the baseline), written into
    /// <paramref name="expected"/> (one per title), and their bytes summed.
    /// </summary>
    public double[] ExpectedIn(string region, double[] expected, out double demand)
    {
        ArgumentNullException.ThrowIfNull(expected);
        _baseline.CopyTo(expected, 0);
        demand = BaselineDemand;
        foreach (var row in Region(region).Rows)
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
        return Merge(_byExpected, [], own);
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
        var (rows, sorted) = Region(region);
        foreach (var row in rows)
        {
            own.Play(row.Position);
        }
        return Merge(_basePerByte, sorted, own);
    }

    /// <summary>The region's played titles, valued once per run: Expected(region, t) is the regional count plus the baseline.</summary>
    private (Played[] Rows, (int Position, double Value)[] Sorted) Region(string region)
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
            played = ([.. rows], Sorted(rows.Select(r => (r.Position, PerByte(_titles[r.Position], r.Plays)))));
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
    /// Four sorted streams, best first: the base order without the plan's own titles; the held titles the region did not
    /// play, in base order at 1 + margin times their base value; the played titles not held; the played titles held, at
    /// 1 + margin times their value. Each is a filtered walk of a sorted array.
    /// </summary>
    private IEnumerable<int> Merge((int Position, double Value)[] sorted, (int Position, double Value)[] played, Own own)
    {
        var factor = 1 + _holdMargin;
        int b = 0, h = 0, p = 0, q = 0;
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
            while (p < played.Length && own.Held(played[p].Position))
            {
                p++;
            }
            while (q < played.Length && !own.Held(played[q].Position))
            {
                q++;
            }
            var best = -1;
            var position = -1;
            var value = 0.0;
            if (b < sorted.Length)
            {
                (best, position, value) = (0, sorted[b].Position, sorted[b].Value);
            }
            if (h < sorted.Length && (best < 0 || Before(sorted[h].Value * factor, sorted[h].Position, value, position)))
            {
                (best, position, value) = (1, sorted[h].Position, sorted[h].Value * factor);
            }
            if (p < played.Length && (best < 0 || Before(played[p].Value, played[p].Position, value, position)))
            {
                (best, position, value) = (2, played[p].Position, played[p].Value);
            }
            if (q < played.Length && (best < 0 || Before(played[q].Value * factor, played[q].Position, value, position)))
            {
                (best, position, value) = (3, played[q].Position, played[q].Value * factor);
            }
            switch (best)
            {
                case 0:
                    b++;
                    break;
                case 1:
                    h++;
                    break;
                case 2:
                    p++;
                    break;
                case 3:
                    q++;
                    break;
                default:
                    yield break;
            }
            yield return position;
        }
    }

    private static double PerByte(CatalogTitle title, double plays) => plays / Math.Max(1, title.SizeBytes);

    /// <summary>
    /// Higher value first, ties by title id (so plans are deterministic): a sort on the values alone (primitive keys, no
    /// comparer calls), then each run of equal values by id.
    /// </summary>
    private (int Position, double Value)[] Sorted(IEnumerable<(int Position, double Value)> rows)
    {
        var array = rows.ToArray();
        var keys = new double[array.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = -array[i].Value;
        }
        Array.Sort(keys, array);
        var byId = new IdFirst(_titles);
        var start = 0;
        while (start < array.Length)
        {
            var end = start + 1;
            while (end < array.Length && keys[end] == keys[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                Array.Sort(array, start, end - start, byId);
            }
            start = end;
        }
        return array;
    }

    /// <summary>Higher value first; ties by title id, so plans are deterministic.</summary>
    private bool Before(double x, int xPosition, double y, int yPosition) =>
        x > y || (x == y && string.CompareOrdinal(_titles[xPosition].TitleId, _titles[yPosition].TitleId) < 0);

    private sealed class IdFirst(CatalogTitle[] titles) : IComparer<(int Position, double Value)>
    {
        public int Compare((int Position, double Value) x, (int Position, double Value) y) =>
            string.CompareOrdinal(titles[x.Position].TitleId, titles[y.Position].TitleId);
    }

    private readonly record struct Played(int Position, double Plays);

    /// <summary>An order's own titles, by catalog position: which the region played, which were held.</summary>
    private sealed class Own(int titles)
    {
        private const byte IsHeld = 1;
        private const byte IsPlayed = 2;
        private readonly byte[] _flags = new byte[titles];

        public bool Has(int i) => _flags[i] != 0;

        public bool Held(int i) => (_flags[i] & IsHeld) != 0;

        public bool HeldOnly(int i) => _flags[i] == IsHeld;

        public void Hold(int i) => _flags[i] |= IsHeld;

        public void Play(int i) => _flags[i] |= IsPlayed;
    }
}
