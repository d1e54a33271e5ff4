using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// What one edge must hold, most valuable first: its cut's titles, under its cut's version, which changes only when the
/// set of packages does (a new order of the same packages keeps the version, so edges do not re-fetch for nothing).
/// </summary>
internal sealed record EdgeAssignment(string EdgeId, int Version, DateTimeOffset GeneratedAt, CatalogTitle[] Titles)
{
    private Dictionary<ulong, int>? _byHash; // built on first use; a race builds it twice, the same

    public long Bytes { get; } = Titles.Sum(t => t.SizeBytes);

    /// <summary>Whether the assignment lists this package (title and version).</summary>
    public bool Lists(CatalogTitle title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var byHash = Volatile.Read(ref _byHash) ?? Index();
        if (!byHash.TryGetValue(title.IdHash, out var at))
        {
            return false;
        }
        return at >= 0 ? Same(Titles[at], title) : Array.Exists(Titles, t => Same(t, title)); // -1: ids that share a hash
    }

    /// <summary>Each title's position by its id's hash (kept with the title): no id is hashed again, no string is held.</summary>
    private Dictionary<ulong, int> Index()
    {
        var byHash = new Dictionary<ulong, int>(Titles.Length);
        for (var i = 0; i < Titles.Length; i++)
        {
            if (!byHash.TryAdd(Titles[i].IdHash, i))
            {
                byHash[Titles[i].IdHash] = -1;
            }
        }
        Volatile.Write(ref _byHash, byHash);
        return byHash;
    }

    private static bool Same(CatalogTitle listed, CatalogTitle title) =>
        listed.Version == title.Version && string.Equals(listed.TitleId, title.TitleId, StringComparison.Ordinal);
}
