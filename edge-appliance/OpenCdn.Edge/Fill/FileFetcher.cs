using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// Fetches one file of the plan: sources in plan order (peers with the plan's peer token, then origin's URL, each once its
/// <see cref="FillSource.NotBefore"/> has passed), resuming the
/// partial file, then size + sha256 before the atomic rename into the servable tree. A corrupt download is deleted and
/// the next source tried.
/// </summary>
internal sealed partial class FileFetcher(
    RangeDownloader downloader, ContentCatalog catalog, DataPaths paths, FillProgressTracker progress,
    EdgeMetrics metrics, TimeProvider time, ILogger<FileFetcher> logger)
{
    public async Task<FetchOutcome> FetchAsync(FillItem item, FillFile file, CancellationToken cancellationToken)
    {
        var key = new ContentKey(item.TitleId, item.Version, file.Name);
        var partial = key.PathUnder(paths.Partial);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        foreach (var source in item.Sources)
        {
            if (source.NotBefore is { } opens && opens > time.GetUtcNow())
            {
                continue; // another edge of the group seeds this title: wait for it (the peer before this source) until then
            }
            if (Locate(source, key) is not ({ } url, var bearer))
            {
                continue;
            }
            var outcome = await downloader.DownloadAsync(url, bearer, partial, file.Size, source.Kind, cancellationToken);
            if (outcome == TransferOutcome.WindowClosed)
            {
                return FetchOutcome.WindowClosed;
            }
            if (outcome == TransferOutcome.SourceFailed)
            {
                Log.SourceFailed(logger, source.Name, key.TitleId, key.Version, key.File);
                continue;
            }
            if (await FileVerifier.MatchesAsync(partial, file.Size, file.Sha256, throttle: null, cancellationToken))
            {
                await catalog.CommitAsync(key, partial, file.Size, file.Sha256.ToLowerInvariant(), time.GetUtcNow(), cancellationToken);
                progress.FileVerified();
                return FetchOutcome.Verified;
            }
            File.Delete(partial);
            metrics.FillCorrupt();
            Log.Corrupt(logger, source.Name, key.TitleId, key.Version, key.File);
        }
        return FetchOutcome.Failed;
    }

    private static (Uri? Url, string? Bearer) Locate(FillSource source, ContentKey key)
    {
        if (source.Kind == FillSourceKind.Origin)
        {
            return (source.FileUrls is not null && source.FileUrls.TryGetValue(key.File, out var url) ? url : null, null);
        }
        if (source.BaseUrl is null || source.Token is null)
        {
            return (null, null); // a peer opens only to the token the control plane minted for it
        }
        var baseUrl = source.BaseUrl.AbsoluteUri.EndsWith('/') ? source.BaseUrl : new Uri(source.BaseUrl.AbsoluteUri + "/");
        var peerUrl = new Uri(baseUrl, $"peer/{key.TitleId}/v{key.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{key.File}");
        return (peerUrl, source.Token);
    }

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Warning, "Source {Source} could not provide {TitleId} v{Version} {File}; trying the next")]
        public static partial void SourceFailed(ILogger logger, string source, string titleId, int version, string file);

        [LoggerMessage(311, LogLevel.Error, "Source {Source} delivered a corrupt {TitleId} v{Version} {File} (size or sha256 mismatch); rejected")]
        public static partial void Corrupt(ILogger logger, string source, string titleId, int version, string file);
    }
}
