using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Decisions;

/// <summary>
/// Re-ranks a session's pathways for the content-steering manifest. Edges that are gone, down, draining or no longer
/// hold the title's current package are dropped; degraded ones move after the healthy ones; origin stays last and is
/// always there. The player's current pathway stays first while it is healthy and delivers what the session needs
/// (no needless switching), and moves behind the next healthy edge when its measured throughput falls short.
/// </summary>
internal static class PathwayRanker
{
    public static string[] Rank(FleetSnapshot snapshot, long nowTicks, IReadOnlyList<string> sessionPathways, string titleId,
        string? currentPathway, long? throughputBitsPerSecond, long requiredBitsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(sessionPathways);
        var options = snapshot.Options;
        snapshot.Catalog.TryGetCurrent(titleId, out var title, out var version);
        var healthy = new List<string>(sessionPathways.Count);
        var degraded = new List<string>();
        foreach (var pathway in sessionPathways)
        {
            if (snapshot.FindEdge(pathway) is not { } edge || healthy.Contains(pathway) || degraded.Contains(pathway)
                || version == 0 || !edge.Inventory.Holds(title, version))
            {
                continue;
            }
            switch (edge.StatusAt(nowTicks, options.DownAfter.Ticks, options.LoadCeiling))
            {
                case EdgeStatus.Healthy:
                    healthy.Add(pathway);
                    break;
                case EdgeStatus.Degraded:
                    degraded.Add(pathway);
                    break;
            }
        }
        var current = currentPathway is null ? -1 : healthy.IndexOf(currentPathway);
        if (current >= 0)
        {
            healthy.RemoveAt(current);
            var starved = throughputBitsPerSecond is { } measured && measured < requiredBitsPerSecond && healthy.Count > 0;
            healthy.Insert(starved ? 1 : 0, currentPathway!);
        }
        return [.. healthy, .. degraded, ServerChoice.OriginId];
    }
}
