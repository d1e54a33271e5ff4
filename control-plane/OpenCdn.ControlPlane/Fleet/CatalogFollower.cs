using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The catalog side of the fleet sync: brings titles that became ready, got a new package or left (retired, failed,
/// replaced) into the in-memory fleet, with each ready title's files read from its package, and hands retired titles to
/// the <see cref="RetiredTitleCollector"/>. Remembers the version steering knows per title, so a pass changes only what moved.
/// </summary>
internal sealed class CatalogFollower(
    FleetBuilder fleet, TitleStore titles, PackageReader packageReader, RetiredTitleCollector collector, TimeProvider time)
{
    /// <summary>Rows are read again this far back: writers' clocks and commits are not exactly in step.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, int> _known = new(StringComparer.Ordinal); // title → version steering knows
    private DateTimeOffset _since = DateTimeOffset.MinValue;

    /// <summary>Applies what changed since the last pass to the fleet; true when the fleet's catalog changed.</summary>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Overlap;
        var changed = new List<Title>();
        foreach (var title in await titles.ListChangedSinceAsync(_since, cancellationToken))
        {
            if (title.Status == TitleStatus.Retired)
            {
                collector.Add(title.Id); // origin clean-up looks again; nothing to do once origin no longer holds it
            }
            if (_known.GetValueOrDefault(title.Id) != ReadyVersion(title))
            {
                changed.Add(title);
            }
        }
        if (changed.Count > 0)
        {
            Apply(changed, await ReadPackagesAsync(changed, cancellationToken));
        }
        _since = since;
        return changed.Count > 0;
    }

    /// <summary>Packages are read side by side (a first start reads the whole catalog); null for a title not ready.</summary>
    private async Task<PackageManifest?[]> ReadPackagesAsync(List<Title> changed, CancellationToken cancellationToken)
    {
        var packages = new PackageManifest?[changed.Count];
        await Parallel.ForAsync(0, changed.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => packages[i] = ReadyVersion(changed[i]) is > 0 and var version
                ? await packageReader.ReadAsync(changed[i].Id, version, token)
                : null);
        return packages;
    }

    /// <summary>Applies the changed titles to the fleet as one change.</summary>
    private void Apply(List<Title> changed, PackageManifest?[] packages)
    {
        var upserts = new List<CatalogTitle>();
        var retired = new List<string>();
        for (var i = 0; i < changed.Count; i++)
        {
            var title = changed[i];
            if (packages[i] is { } package)
            {
                var files = package.Files().Select(f => new FillFile(f.Name, f.Size, f.Sha256)).ToArray();
                upserts.Add(new CatalogTitle(title.Id, package.Version, files, title.UpdatedAt));
                _known[title.Id] = package.Version;
            }
            else
            {
                retired.Add(title.Id);
                _known.Remove(title.Id);
            }
        }
        fleet.Change(upserts, retired);
    }

    private static int ReadyVersion(Title title) => title.Status == TitleStatus.Ready ? title.PackageVersion : 0;
}
