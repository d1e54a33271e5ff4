using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// The orders plans take titles in, computed once per planning run and shared by the edges that use them:
/// IX edges by expected plays anywhere; embedded edges by expected plays in their region per byte. A region's order
/// merges the few titles its clients actually played into the common base order (global share and launch boost per
/// byte), so a region costs its own plays, not a sort of the catalog.
/// </summary>
internal sealed class TitleOrder
{
    private readonly Dictionary<string, CatalogTitle> _byId;
    private readonly PopularityView _view;
    private readonly (CatalogTitle Title, double Value)[] _basePerByte;
    private readonly Dictionary<string, (HashSet<string> Played, (CatalogTitle Title, double Value)[] Own)> _regions =
        new(StringComparer.Ordinal);

    public TitleOrder(CatalogTitle[] titles, PopularityView view)
    {
        _view = view;
        _byId = titles.ToDictionary(t => t.TitleId, StringComparer.Ordinal);
        ByPopularity = Sorted(titles.Select(t => (t, view.Expected(t))));
        _basePerByte = [.. SortedPairs(titles.Select(t => (t, PerByte(t, view.Baseline(t)))))];
    }

    /// <summary>The IX order.</summary>
    public CatalogTitle[] ByPopularity { get; }

    /// <summary>
    /// The embedded order for one region, produced lazily (a plan stops when the disk is full): the region's own played
    /// titles, cached for the run, merged into the shared base order.
    /// </summary>
    public IEnumerable<CatalogTitle> ByValuePerByte(string region)
    {
        if (!_regions.TryGetValue(region, out var regional))
        {
            var played = _view.RegionalScores(region).Select(p => p.Key).Where(_byId.ContainsKey).ToHashSet(StringComparer.Ordinal);
            regional = (played, SortedPairs(played.Select(id => _byId[id]).Select(t => (t, PerByte(t, _view.Expected(region, t))))));
            _regions[region] = regional;
        }
        return Merge(regional.Played, regional.Own);
    }

    private IEnumerable<CatalogTitle> Merge(HashSet<string> played, (CatalogTitle Title, double Value)[] own)
    {
        int a = 0, b = 0;
        while (true)
        {
            while (b < _basePerByte.Length && played.Contains(_basePerByte[b].Title.TitleId))
            {
                b++;
            }
            if (a < own.Length && (b == _basePerByte.Length || Before(own[a], _basePerByte[b])))
            {
                yield return own[a++].Title;
            }
            else if (b < _basePerByte.Length)
            {
                yield return _basePerByte[b++].Title;
            }
            else
            {
                yield break;
            }
        }
    }

    private static double PerByte(CatalogTitle title, double plays) => plays / Math.Max(1, title.SizeBytes);

    private static CatalogTitle[] Sorted(IEnumerable<(CatalogTitle Title, double Value)> rows) => [.. SortedPairs(rows).Select(r => r.Title)];

    private static (CatalogTitle Title, double Value)[] SortedPairs(IEnumerable<(CatalogTitle Title, double Value)> rows)
    {
        var array = rows.ToArray();
        Array.Sort(array, (x, y) => Before(x, y) ? -1 : Before(y, x) ? 1 : 0);
        return array;
    }

    /// <summary>Higher value first; ties by title id, so plans are deterministic.</summary>
    private static bool Before((CatalogTitle Title, double Value) x, (CatalogTitle Title, double Value) y) =>
        x.Value > y.Value || (x.Value == y.Value && string.CompareOrdinal(x.Title.TitleId, y.Title.TitleId) < 0);
}
