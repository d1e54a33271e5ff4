using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>Removes uploads that expired (no activity for <see cref="UploadOptions.ExpiresAfter"/>) and their partial data.</summary>
internal sealed partial class UploadSweeper(
    UploadStore uploads, IUploadStaging staging, TitleStore titles, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var upload in await uploads.ListExpiredAsync(cancellationToken))
        {
            if (staging.IsBeingWritten(upload.Id))
            {
                continue; // bytes are arriving right now: not abandoned
            }
            await staging.DiscardAsync(upload.Id, cancellationToken);
            await uploads.DeleteAsync(upload.Id, cancellationToken);
            if (!await uploads.HasOpenAsync(upload.TitleId, cancellationToken))
            {
                await titles.MarkUploadAbandonedAsync(upload.TitleId, cancellationToken); // unless a new upload took its place
            }
            Log.Expired(logger, upload.Id, upload.TitleId);
        }
        await staging.SweepOrphansAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Information, "Upload {UploadId} of title {TitleId} expired; its partial data was removed")]
        public static partial void Expired(ILogger logger, string uploadId, string titleId);

        [LoggerMessage(111, LogLevel.Warning, "Sweeping expired uploads failed; retrying in a minute")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
