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

    private readonly Dictionary<string, CatalogTitle> _byId;
    private readonly PopularityView _view;
    private readonly double _holdMargin;
    private readonly (CatalogTitle Title, double Value)[] _byExpected;
    private readonly (CatalogTitle Title, double Value)[] _basePerByte;
    private readonly Dictionary<string, (CatalogTitle Title, double Value)[]> _regions = new(StringComparer.Ordinal);

    public TitleOrder(CatalogTitle[] titles, PopularityView view, double holdMargin = 0)
    {
        _view = view;
        _holdMargin = holdMargin;
        _byId = titles.ToDictionary(t => t.TitleId, StringComparer.Ordinal);
        _byExpected = SortedPairs(titles.Select(t => (t, view.Expected(t))));
        _basePerByte = SortedPairs(titles.Select(t => (t, PerByte(t, view.Baseline(t)))));
    }

    /// <summary>The IX order for a cut whose last plan held <paramref name="held"/> (lazy: a plan stops when the disk is full).</summary>
    public IEnumerable<CatalogTitle> ByPopularity(CatalogTitle[]? held = null)
    {
        var own = new Dictionary<string, (CatalogTitle Title, double Value)>(StringComparer.Ordinal);
        foreach (var title in Current(held))
        {
            own[title.TitleId] = (title, _view.Expected(title) * (1 + _holdMargin));
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
            played = [.. _view.RegionalScores(region)
                .Select(p => _byId.GetValueOrDefault(p.Key))
                .OfType<CatalogTitle>()
                .Select(t => (t, PerByte(t, _view.Expected(region, t))))];
            _regions[region] = played;
        }
        var own = new Dictionary<string, (CatalogTitle Title, double Value)>(played.Length, StringComparer.Ordinal);
        foreach (var row in played)
        {
            own[row.Title.TitleId] = row;
        }
        foreach (var title in Current(held))
        {
            own[title.TitleId] = (title, PerByte(title, _view.Expected(region, title)) * (1 + _holdMargin));
        }
        return Merge(_basePerByte, own);
    }

    /// <summary>The held titles whose package is still the catalog's current one (a new version is a new fill).</summary>
    private IEnumerable<CatalogTitle> Current(CatalogTitle[]? held) =>
        held is null || _holdMargin <= 0 ? [] : held.Where(t => _byId.TryGetValue(t.TitleId, out var now) && now.Version == t.Version)
            .Select(t => _byId[t.TitleId]);

    private static IEnumerable<CatalogTitle> Merge(
        (CatalogTitle Title, double Value)[] sorted, Dictionary<string, (CatalogTitle Title, double Value)> own)
    {
        var heap = new PriorityQueue<CatalogTitle, (double Value, string TitleId)>(
            own.Values.Select(r => (r.Title, (r.Value, r.Title.TitleId))), First);
        var b = 0;
        while (true)
        {
            while (b < sorted.Length && own.ContainsKey(sorted[b].Title.TitleId))
            {
                b++;
            }
            var haveOwn = heap.TryPeek(out var ownTitle, out var ownRank);
            if (haveOwn && (b == sorted.Length || Before(ownRank, (sorted[b].Value, sorted[b].Title.TitleId))))
            {
                heap.Dequeue();
                yield return ownTitle!;
            }
            else if (b < sorted.Length)
            {
                yield return sorted[b++].Title;
            }
            else
            {
                yield break;
            }
        }
    }

    private static double PerByte(CatalogTitle title, double plays) => plays / Math.Max(1, title.SizeBytes);

    private static (CatalogTitle Title, double Value)[] SortedPairs(IEnumerable<(CatalogTitle Title, double Value)> rows)
    {
        var array = rows.ToArray();
        var keys = array.Select(r => (r.Value, r.Title.TitleId)).ToArray();
        Array.Sort(keys, array, First);
        return array;
    }

    /// <summary>Higher value first; ties by title id, so plans are deterministic.</summary>
    private static bool Before((double Value, string TitleId) x, (double Value, string TitleId) y) =>
        x.Value > y.Value || (x.Value == y.Value && string.CompareOrdinal(x.TitleId, y.TitleId) < 0);
}
