using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// What one edge must hold, most valuable first: its cut's titles, under its cut's version, which changes only when the
/// set of packages does (a new order of the same packages keeps the version, so edges do not re-fetch for nothing).
/// </summary>
internal sealed record EdgeAssignment(string EdgeId, int Version, DateTimeOffset GeneratedAt, CatalogTitle[] Titles)
{
    public long Bytes { get; } = Titles.Sum(t => t.SizeBytes);
}
