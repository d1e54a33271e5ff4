using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// A ready title's current package as the catalog sees it: what edges must hold to serve it, when it launched and how
/// many plays' worth of launch boost it starts with (0 for none; see the popularity tracker).
/// </summary>
internal sealed record CatalogTitle(string TitleId, int Version, IReadOnlyList<FillFile> Files, DateTimeOffset LaunchedAt, double LaunchBoost = 0)
{
    public long SizeBytes { get; } = Files.Sum(f => f.Size);

    /// <summary>The id's rendezvous hash (<see cref="Fill.Rendezvous.Of"/>), computed once with the title.</summary>
    public ulong IdHash { get; } = Fill.Rendezvous.Of(TitleId);
}
