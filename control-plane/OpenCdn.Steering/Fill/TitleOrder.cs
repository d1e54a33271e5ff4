using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// The orders plans take titles in, computed once per planning run and shared by the edges that use them:
/// IX edges by expected plays anywhere; embedded edges by expected plays in their region per byte. A cut's order merges
/// its own few titles (those its region actually played, and those its last plan held) into the common base order
/// (global share and launch boost per byte), so a cut costs its own titles, not a sort of the catalog. Its own titles
/// are drawn from a heap as the plan consumes them: a plan stops when the disk is full, so most are never sorted.
/// A title the cut's last plan held counts its value times 1 + <c>holdMargin</c>: a candidate replaces it only when
/// it is worth that much more, so plans do not swap titles on noise (each swap is an eviction and a fill).
/// </summary>
internal sealed class TitleOrder
{
    private static readonly IComparer<(double Value, string TitleId)> First = Comparer<(double Value, string TitleId)>.Create(
        (x, y) => Before(x, y) ? -1 : Before(y, x) ? 1 : 0);

    private readonly CatalogTitle[] _titles;
    private readonly double[] _baseline;
    private readonly Dictionary<string, int> _position;
    private readonly PopularityView _view;
    private readonly double _holdMargin;
    private readonly (int Position, double Value)[] _byExpected;
    private readonly (int Position, double Value)[] _basePerByte;
    private readonly Dictionary<string, (int Position, double Value)[]> _regions = new(StringComparer.Ordinal);

    public TitleOrder(CatalogTitle[] titles, PopularityView view, double holdMargin = 0)
    {
        _titles = titles;
        _view = view;
        _holdMargin = holdMargin;
        _position = new Dictionary<string, int>(titles.Length, StringComparer.Ordinal);
        _baseline = new double[titles.Length];
        for (var i = 0; i < titles.Length; i++)
        {
            _position[titles[i].TitleId] = i;
            _baseline[i] = view.Baseline(titles[i]);
        }
        _byExpected = Sorted(titles.Select((t, i) => (i, view.Expected(t))));
        _basePerByte = Sorted(titles.Select((t, i) => (i, PerByte(t, _baseline[i]))));
    }

    /// <summary>The IX order for a cut whose last plan held <paramref name="held"/> (lazy: a plan stops when the disk is full).</summary>
    public IEnumerable<CatalogTitle> ByPopularity(CatalogTitle[]? held = null)
    {
        var own = new Own(_titles.Length);
        foreach (var i in Current(held))
        {
            own.Set(i, _view.Expected(_titles[i]) * (1 + _holdMargin));
        }
        return Merge(_byExpected, own);
    }

    /// <summary>
    /// The embedded order for one region and a cut whose last plan held <paramref name="held"/>, produced lazily:
    /// the region's own played titles (valued once per run) and the held ones, merged into the shared base order.
    /// </summary>
    public IEnumerable<CatalogTitle> ByValuePerByte(string region, CatalogTitle[]? held = null)
    {
        if (!_regions.TryGetValue(region, out var played))
        {
            // Expected(region, t) is the regional count plus the baseline: one lookup per played title.
            var rows = new List<(int, double)>();
            foreach (var (titleId, score) in _view.RegionalScores(region))
            {
                if (_position.TryGetValue(titleId, out var i))
                {
                    rows.Add((i, PerByte(_titles[i], score + _baseline[i])));
                }
            }
            played = [.. rows];
            _regions[region] = played;
        }
        var own = new Own(_titles.Length);
        foreach (var (i, value) in played)
        {
            own.Set(i, value);
        }
        foreach (var i in Current(held))
        {
            own.Set(i, (own.Has(i) ? own.Value[i] : PerByte(_titles[i], _baseline[i])) * (1 + _holdMargin));
        }
        return Merge(_basePerByte, own);
    }

    /// <summary>Positions of the held titles whose package is still the catalog's current one (a new version is a new fill).</summary>
    private IEnumerable<int> Current(CatalogTitle[]? held)
    {
        if (held is null || _holdMargin <= 0)
        {
            yield break;
        }
        foreach (var title in held)
        {
            if (_position.TryGetValue(title.TitleId, out var i) && _titles[i].Version == title.Version)
            {
                yield return i;
            }
        }
    }

    private IEnumerable<CatalogTitle> Merge((int Position, double Value)[] sorted, Own own)
    {
        var heap = new PriorityQueue<int, (double Value, string TitleId)>(
            own.Positions.Select(i => (i, (own.Value[i], _titles[i].TitleId))), First);
        var b = 0;
        while (true)
        {
            while (b < sorted.Length && own.Has(sorted[b].Position))
            {
                b++;
            }
            var haveOwn = heap.TryPeek(out var ownAt, out var ownRank);
            if (haveOwn && (b == sorted.Length || Before(ownRank, (sorted[b].Value, _titles[sorted[b].Position].TitleId))))
            {
                heap.Dequeue();
                yield return _titles[ownAt];
            }
            else if (b < sorted.Length)
            {
                yield return _titles[sorted[b++].Position];
            }
            else
            {
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

    /// <summary>A cut's own titles, by catalog position: which they are and what each is worth.</summary>
    private sealed class Own(int titles)
    {
        private readonly bool[] _has = new bool[titles];

        public double[] Value { get; } = new double[titles];

        public List<int> Positions { get; } = [];

        public bool Has(int i) => _has[i];

        public void Set(int i, double value)
        {
            if (!_has[i])
            {
                _has[i] = true;
                Positions.Add(i);
            }
            Value[i] = value;
        }
    }
}
