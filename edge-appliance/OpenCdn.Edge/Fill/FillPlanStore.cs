using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// The last fill plan received, persisted so the edge keeps it across restarts and control-plane outages. Items or files
/// with names a content path cannot be built from are dropped on arrival.
/// </summary>
internal sealed partial class FillPlanStore
{
    private readonly DataPaths _paths;
    private readonly ILogger<FillPlanStore> _logger;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FillPlanStore(DataPaths paths, ILogger<FillPlanStore> logger)
    {
        _paths = paths;
        _logger = logger;
        Current = JsonFile.Read(paths.Plan, EdgeJson.Default.FillPlan);
    }

    public FillPlan? Current { get; private set; }

    /// <summary>Completes when the next plan arrives.</summary>
    public Task Changed => _changed.Task;

    public async Task SetAsync(FillPlan plan, CancellationToken cancellationToken)
    {
        var items = new List<FillItem>(plan.Items.Count);
        foreach (var item in plan.Items)
        {
            var files = item.Files.Where(f => ContentNames.IsFileName(f.Name) && f.Size >= 0 && f.Sha256.Length == 64).ToList();
            if (!ContentNames.IsTitleId(item.TitleId) || !ContentNames.IsVersion(item.Version) || files.Count != item.Files.Count)
            {
                Log.InvalidItem(_logger, item.TitleId, item.Version);
                continue;
            }
            items.Add(item);
        }
        var accepted = plan with { Items = items };
        await JsonFile.WriteAsync(_paths.Plan, accepted, EdgeJson.Default.FillPlan, cancellationToken);
        Current = accepted;
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Log.PlanReceived(_logger, plan.Version, items.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Fill plan v{Version}: {Items} packages")]
        public static partial void PlanReceived(ILogger logger, int version, int items);

        [LoggerMessage(201, LogLevel.Warning, "Fill plan item {TitleId} v{Version} names a file or title that is not a valid content name; skipped")]
        public static partial void InvalidItem(ILogger logger, string titleId, int version);
    }
}
