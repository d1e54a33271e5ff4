using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// One pass over the plan: evict what may go, then, inside the window, fetch the missing files in plan order, a few at
/// a time, as far as the disk budget allows.
/// </summary>
internal sealed partial class FillAgent(
    FillPlanStore plans, ContentCatalog catalog, Evictor evictor, FileFetcher fetcher, FillSchedule schedule, DiskBudget disk,
    FillProgressTracker progress, DataPaths paths, IOptions<EdgeOptions> options, ILogger<FillAgent> logger)
{
    public async Task<FillPassOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (plans.Current is not { } plan)
        {
            return FillPassOutcome.NoPlan;
        }
        await evictor.EvictAsync(plan, cancellationToken);
        var files = plan.Items.SelectMany(
            item => item.Files.Select(file => (Item: item, File: file, Key: new ContentKey(item.TitleId, item.Version, file.Name)))).ToList();
        var missing = files.Where(f => !catalog.Contains(f.Key)).ToList();
        var inWindow = schedule.IsOpen();
        progress.Start(plan.Version, inWindow, files.Count - missing.Count, files.Count,
            files.Where(f => catalog.Contains(f.Key)).Sum(f => f.File.Size), files.Sum(f => f.File.Size));
        if (missing.Count == 0)
        {
            return FillPassOutcome.Complete;
        }
        if (!inWindow)
        {
            return FillPassOutcome.OutsideWindow;
        }
        var work = WithinBudget(missing);
        var outcomes = new ConcurrentBag<FetchOutcome>();
        await Parallel.ForEachAsync(
            work, new ParallelOptions { MaxDegreeOfParallelism = options.Value.FillConcurrency, CancellationToken = cancellationToken },
            async (entry, token) => outcomes.Add(await fetcher.FetchAsync(entry.Item, entry.File, token)));
        if (outcomes.Contains(FetchOutcome.WindowClosed))
        {
            return FillPassOutcome.OutsideWindow;
        }
        return work.Count == missing.Count && outcomes.All(o => o == FetchOutcome.Verified) ? FillPassOutcome.Complete : FillPassOutcome.Incomplete;
    }

    /// <summary>Missing files in plan order that fit; one that does not fit is skipped (a smaller later one may).</summary>
    private List<(FillItem Item, FillFile File, ContentKey Key)> WithinBudget(List<(FillItem Item, FillFile File, ContentKey Key)> missing)
    {
        var budget = disk.Available();
        var work = new List<(FillItem, FillFile, ContentKey)>();
        foreach (var entry in missing)
        {
            var partial = new FileInfo(entry.Key.PathUnder(paths.Partial));
            var need = entry.File.Size - (partial.Exists ? Math.Min(partial.Length, entry.File.Size) : 0);
            if (need > budget)
            {
                Log.DoesNotFit(logger, entry.Key.TitleId, entry.Key.Version, entry.Key.File, need, budget);
                continue;
            }
            budget -= need;
            work.Add(entry);
        }
        return work;
    }

    private static partial class Log
    {
        [LoggerMessage(
            330, LogLevel.Warning,
            "{TitleId} v{Version} {File} needs {Need} bytes but only {Budget} fit under the disk capacity less headroom; skipped")]
        public static partial void DoesNotFit(ILogger logger, string titleId, int version, string file, long need, long budget);
    }
}
