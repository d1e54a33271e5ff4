using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// Re-hashes stored files slowly (its own rate cap) so bit rot is found before a viewer gets it: a file whose sha256 no
/// longer matches is quarantined, stops being served, and the next fill pass fetches it again.
/// </summary>
internal sealed partial class Scrubber(
    ContentCatalog catalog, DataPaths paths, EdgeMetrics metrics, TimeProvider time, IOptions<EdgeOptions> options, ILogger<Scrubber> logger)
    : BackgroundService
{
    /// <summary>Checks every stored file once; returns how many were quarantined.</summary>
    public async Task<int> ScrubOnceAsync(CancellationToken cancellationToken)
    {
        using var throttle = new TokenBucket(options.Value.ScrubBytesPerSecond, time);
        var quarantined = 0;
        foreach (var file in catalog.Files)
        {
            var path = file.Key.PathUnder(paths.Content);
            if (!catalog.Contains(file.Key) || await FileVerifier.MatchesAsync(path, file.Size, file.Sha256, throttle, cancellationToken))
            {
                continue;
            }
            var stamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await catalog.RemoveAsync(file.Key, file.Key.PathUnder(paths.Quarantine) + "." + stamp, cancellationToken);
            metrics.Quarantined();
            quarantined++;
            Log.Quarantined(logger, file.Key.TitleId, file.Key.Version, file.Key.File);
        }
        return quarantined;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ScrubBytesPerSecond == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.ScrubInterval, time, stoppingToken);
            await ScrubOnceAsync(stoppingToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(350, LogLevel.Error, "Stored {TitleId} v{Version} {File} no longer matches its sha256: quarantined, it will be fetched again")]
        public static partial void Quarantined(ILogger logger, string titleId, int version, string file);
    }
}
