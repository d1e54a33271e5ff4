using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// One cut of the plans: what the edges that share it must hold, most valuable first, under a version those edges
/// share: one edge when a group's edges split the catalog, else every edge of one kind, group and disk budget.
/// Versions come from one counter for all cuts, so a new cut's version is above every version an edge saw before.
/// </summary>
internal sealed record FillCut(string Key, int Version, DateTimeOffset GeneratedAt, CatalogTitle[] Titles)
{
    /// <summary>The shared cut's name: IX edges share one per disk budget, embedded edges one per group and disk budget.</summary>
    public static string KeyOf(bool ix, string group, long budget) =>
        ix ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ix/{budget}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"embedded/{budget}/{group}");

    /// <summary>The cut of one edge, when the edges of a group split the catalog (each plan is its own).</summary>
    public static string KeyOfEdge(string edgeId) => $"edge/{edgeId}";

    /// <summary>An order-free digest of the packages (title id and version): cuts whose digests differ hold different packages.</summary>
    public ulong Digest { get; } = DigestOf(Titles);

    /// <summary>True when both hold the same packages (title and version), in any order.</summary>
    public bool SameContent(CatalogTitle[] titles)
    {
        ArgumentNullException.ThrowIfNull(titles);
        if (titles.Length != Titles.Length)
        {
            return false;
        }
        if (titles.AsSpan().SequenceEqual(Titles))
        {
            return true; // the common case: same catalog objects, same order
        }
        if (DigestOf(titles) != Digest)
        {
            return false; // most changed plans: told apart without building a set
        }
        // The same catalog objects in another order (a plan's titles move with popularity) are found without hashing ids.
        var objects = new HashSet<CatalogTitle>(Titles, ReferenceEqualityComparer.Instance);
        if (titles.All(objects.Contains))
        {
            return true;
        }
        var mine = Titles.Select(t => (t.TitleId, t.Version)).ToHashSet();
        return titles.All(t => mine.Contains((t.TitleId, t.Version)));
    }

    /// <summary>The sum of each package's mixed hash: the same for the same packages in any order.</summary>
    private static ulong DigestOf(CatalogTitle[] titles)
    {
        var digest = 0UL;
        foreach (var title in titles)
        {
            digest += Rendezvous.Score(title.IdHash, (ulong)title.Version);
        }
        return digest;
    }
}
