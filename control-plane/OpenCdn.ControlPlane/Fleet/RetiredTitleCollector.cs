using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.Platform.Storage;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Removes retired titles from origin, masters and packages alike, but only once no fill plan lists them and no edge
/// that is up reports holding them. Titles origin no longer holds (cleaned up before, or at an earlier start) cost one
/// listing, never a fleet read. Called from the fleet sync pass only.
/// </summary>
internal sealed partial class RetiredTitleCollector(
    FillPlanner planner, Steerer steerer, EdgeStore edges, IObjectStore origin, TimeProvider time, ILogger<RetiredTitleCollector> logger)
{
    private readonly HashSet<string> _retired = new(StringComparer.Ordinal); // retired titles origin may still hold

    public void Add(string titleId) => _retired.Add(titleId);

    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var ready = new List<(string TitleId, List<string> Keys)>();
        foreach (var titleId in _retired.Where(id => !planner.AnyPlanHolds(id)).ToList())
        {
            var keys = new List<string>();
            foreach (var prefix in OriginKeys.TitlePrefixes(titleId))
            {
                await foreach (var item in origin.ListAsync(prefix, cancellationToken))
                {
                    keys.Add(item.Key);
                }
            }
            if (keys.Count == 0)
            {
                _retired.Remove(titleId);
            }
            else
            {
                ready.Add((titleId, keys));
            }
        }
        if (ready.Count == 0)
        {
            return;
        }
        var downAfter = steerer.Current.Options.DownAfter;
        var now = time.GetUtcNow();
        var holders = (await edges.ListAsync(cancellationToken))
            .Where(e => e.LastHeartbeat is { } at && now - at <= downAfter)
            .SelectMany(e => e.Heartbeat?.Inventory ?? [])
            .OfType<InventoryItem>() // a row left out of steering may hold anything; its titles still stay in origin
            .Select(i => i.TitleId)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (titleId, keys) in ready.Where(r => !holders.Contains(r.TitleId)))
        {
            foreach (var key in keys)
            {
                await origin.DeleteAsync(key, cancellationToken);
            }
            _retired.Remove(titleId);
            Log.RetiredFromOrigin(logger, titleId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(210, LogLevel.Information, "Retired title {TitleId} left every plan and edge; removed from origin")]
        public static partial void RetiredFromOrigin(ILogger logger, string titleId);
    }
}
