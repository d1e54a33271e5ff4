using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Fill;

/// <summary>Removes packages that left the plan, once <see cref="Inventory"/> says steering was told; drops partial downloads nobody wants.</summary>
internal sealed partial class Evictor(ContentCatalog catalog, Inventory inventory, DataPaths paths, ILogger<Evictor> logger)
{
    public async Task EvictAsync(FillPlan plan, CancellationToken cancellationToken)
    {
        var planned = plan.Items.Select(i => new PackageKey(i.TitleId, i.Version)).ToHashSet();
        foreach (var package in planned)
        {
            inventory.Forget(package);
        }
        foreach (var group in catalog.Files.GroupBy(f => f.Key.Package).Where(g => !planned.Contains(g.Key)))
        {
            if (!inventory.MayEvict(group.Key))
            {
                continue;
            }
            foreach (var file in group)
            {
                await catalog.RemoveAsync(file.Key, moveTo: null, cancellationToken);
            }
            inventory.Forget(group.Key);
            Log.Evicted(logger, group.Key.TitleId, group.Key.Version, group.Sum(f => f.Size));
        }
        DropUnwantedPartials(plan);
    }

    private void DropUnwantedPartials(FillPlan plan)
    {
        var wanted = plan.Items.SelectMany(i => i.Files.Select(f => new ContentKey(i.TitleId, i.Version, f.Name).PathUnder(paths.Partial)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(paths.Partial, "*", SearchOption.AllDirectories).Where(p => !wanted.Contains(p)).ToList())
        {
            File.Delete(path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(
            320, LogLevel.Information, "Evicted {TitleId} v{Version} ({Bytes} bytes): it left the plan and the inventory without it was reported")]
        public static partial void Evicted(ILogger logger, string titleId, int version, long bytes);
    }
}
