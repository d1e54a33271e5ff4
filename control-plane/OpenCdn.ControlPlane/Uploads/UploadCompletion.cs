using System.Diagnostics;
using System.Text.Json;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// Turns a finished upload into a queued job: the staged master streams into origin (<c>masters/{titleId}/{file}</c>),
/// the title becomes <c>queued</c>, the job is sent, and only then is the upload forgotten. Every step can run again,
/// so a crash between two of them is mended by the client's next HEAD or PATCH. The title's state is checked before
/// the master is written: a retired title, or one that moved on, never gets a master in origin from a stale upload.
/// </summary>
internal sealed partial class UploadCompletion(
    IJobQueue queue, TitleStore titles, UploadStore uploads, IUploadStaging staging, ILogger<UploadCompletion> logger)
{
    /// <summary>False when the title can no longer take this master (retired, moved on, or the upload was cancelled).</summary>
    public async Task<bool> CompleteAsync(Upload upload, CancellationToken cancellationToken)
    {
        var masterKey = OriginKeys.Master(upload.TitleId, upload.FileName);
        var title = await titles.GetAsync(upload.TitleId, cancellationToken);
        var queuedEarlier = title is { Status: TitleStatus.Queued } && title.MasterKey == masterKey; // a completion cut short after queuing
        if (!queuedEarlier && (title is not { Status: TitleStatus.Uploading } || !await StoreMasterAsync(upload, masterKey, cancellationToken)))
        {
            await ForgetAsync(upload, cancellationToken);
            return false;
        }
        using (var send = ControlPlaneActivities.Source.StartActivity("ingest.enqueue", ActivityKind.Producer))
        {
            send?.SetTag("opencdn.title_id", upload.TitleId);
            // The job carries this trace on, so the worker's spans (fetch, probe, encode, publish) join the upload's trace.
            await queue.SendAsync(TranscodeJob.Create(upload.TitleId, masterKey, Activity.Current).ToMessage(), cancellationToken);
        }
        await ForgetAsync(upload, cancellationToken);
        Log.Queued(logger, upload.TitleId, upload.Length);
        return true;
    }

    /// <summary>Puts the staged master into origin and queues the title; false when the upload was cancelled or the title moved on.</summary>
    private async Task<bool> StoreMasterAsync(Upload upload, string masterKey, CancellationToken cancellationToken) =>
        await staging.StoreMasterAsync(upload, masterKey, cancellationToken) is { } size
        && await titles.MarkQueuedAsync(upload.TitleId, masterKey, size, cancellationToken);

    private async Task ForgetAsync(Upload upload, CancellationToken cancellationToken)
    {
        await uploads.DeleteAsync(upload.Id, cancellationToken);
        await staging.DiscardAsync(upload.Id, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Master of title {TitleId} uploaded ({Bytes} bytes); transcode queued")]
        public static partial void Queued(ILogger logger, string titleId, long bytes);
    }
}
