using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// What one edge must hold, most valuable first, under a version that changes only when the set of packages does
/// (a new order of the same packages keeps the version, so edges do not re-fetch for nothing).
/// </summary>
internal sealed record EdgeAssignment(string EdgeId, int Version, DateTimeOffset GeneratedAt, CatalogTitle[] Titles)
{
    public long Bytes { get; } = Titles.Sum(t => t.SizeBytes);

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
        var mine = Titles.Select(t => (t.TitleId, t.Version)).ToHashSet();
        return titles.All(t => mine.Contains((t.TitleId, t.Version)));
    }
}
