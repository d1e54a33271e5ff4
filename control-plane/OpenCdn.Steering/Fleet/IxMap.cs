namespace OpenCdn.Steering.Fleet;

/// <summary>
/// IX sites and, for every known location, the nearest few of them in distance order, computed once per snapshot so a
/// decision reads a short list instead of measuring the whole fleet.
/// </summary>
internal sealed class IxMap
{
    private readonly int[][] _nearest;
    private readonly int[] _fallback;

    private IxMap(IxSite[] sites, int[][] nearest, int[] fallback)
    {
        Sites = sites;
        _nearest = nearest;
        _fallback = fallback;
    }

    public IxSite[] Sites { get; }

    /// <summary>Site ids nearest first for a location id; for -1 (unknown) the default location's, or the first sites.</summary>
    public ReadOnlySpan<int> Nearest(int location) => location >= 0 ? _nearest[location] : _fallback;

    /// <summary>Sites from the IX edges, whose locations must already be in <paramref name="locations"/> (read only here).</summary>
    public static IxMap Build(IReadOnlyList<EdgeState> edges, LocationTable locations, int perLocation, int defaultLocation)
    {
        var sites = new List<(int Location, List<int> Edges)>();
        var byLocation = new Dictionary<int, int>();
        foreach (var edge in edges)
        {
            if (edge.Descriptor.SiteKind != Contracts.Edges.EdgeSiteKind.IX)
            {
                continue;
            }
            var location = locations.IdOf(edge.Descriptor.Location);
            if (location < 0 || !byLocation.TryGetValue(location, out var site))
            {
                site = sites.Count;
                sites.Add((location, []));
                if (location >= 0)
                {
                    byLocation.Add(location, site);
                }
            }
            sites[site].Edges.Add(edge.Index);
        }
        var located = sites.Select((s, id) => (s.Location, id)).Where(s => s.Location >= 0).ToArray();
        var nearest = new int[locations.Count][];
        for (var l = 0; l < nearest.Length; l++)
        {
            nearest[l] = NearestSites(locations, l, located, perLocation);
        }
        var fallback = defaultLocation >= 0 ? nearest[defaultLocation] : [.. Enumerable.Range(0, Math.Min(perLocation, sites.Count))];
        return new IxMap([.. sites.Select(s => new IxSite(s.Location, [.. s.Edges]))], nearest, fallback);
    }

    /// <summary>Top-k by dot product of unit vectors (larger is nearer), kept sorted by insertion.</summary>
    private static int[] NearestSites(LocationTable locations, int from, (int Location, int Id)[] sites, int k)
    {
        var (x, y, z) = locations.Vector(from);
        var best = new int[Math.Min(k, sites.Length)];
        var bestDot = new double[best.Length];
        var count = 0;
        if (best.Length == 0)
        {
            return best;
        }
        foreach (var (location, id) in sites)
        {
            var (sx, sy, sz) = locations.Vector(location);
            var dot = (x * sx) + (y * sy) + (z * sz);
            if (count == best.Length && dot <= bestDot[count - 1])
            {
                continue;
            }
            var at = count == best.Length ? count - 1 : count++;
            while (at > 0 && bestDot[at - 1] < dot)
            {
                best[at] = best[at - 1];
                bestDot[at] = bestDot[at - 1];
                at--;
            }
            best[at] = id;
            bestDot[at] = dot;
        }
        return best;
    }
}
