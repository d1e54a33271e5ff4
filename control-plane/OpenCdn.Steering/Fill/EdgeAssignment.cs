using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// What one edge must hold, most valuable first: its cut's titles, under its cut's version, which changes only when the
/// set of packages does (a new order of the same packages keeps the version, so edges do not re-fetch for nothing).
/// </summary>
internal sealed record EdgeAssignment(string EdgeId, int Version, DateTimeOffset GeneratedAt, CatalogTitle[] Titles)
{
    private Dictionary<string, int>? _versions; // built on first use; a race builds it twice, the same

    public long Bytes { get; } = Titles.Sum(t => t.SizeBytes);

    /// <summary>Whether the assignment lists this package (title and version).</summary>
    public bool Lists(CatalogTitle title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var versions = Volatile.Read(ref _versions);
        if (versions is null)
        {
            versions = new Dictionary<string, int>(Titles.Length, StringComparer.Ordinal);
            foreach (var t in Titles)
            {
                versions[t.TitleId] = t.Version;
            }
            Volatile.Write(ref _versions, versions);
        }
        return versions.TryGetValue(title.TitleId, out var version) && version == title.Version;
    }
}
