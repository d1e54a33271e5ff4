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
    IObjectStore origin, IJobQueue queue, TitleStore titles, UploadStore uploads, UploadStaging staging, ILogger<UploadCompletion> logger)
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

    /// <summary>Streams the staged master into origin and queues the title; false when the upload was cancelled or the title moved on.</summary>
    private async Task<bool> StoreMasterAsync(Upload upload, string masterKey, CancellationToken cancellationToken)
    {
        FileStream master;
        try
        {
            master = new FileStream(
                staging.PathOf(upload.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return false; // cancelled a moment ago
        }
        await using (master)
        {
            var stored = await origin.PutAsync(masterKey, master, cancellationToken);
            return await titles.MarkQueuedAsync(upload.TitleId, masterKey, stored.Size, cancellationToken);
        }
    }

    private async Task ForgetAsync(Upload upload, CancellationToken cancellationToken)
    {
        await uploads.DeleteAsync(upload.Id, cancellationToken);
        staging.Delete(upload.Id);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Master of title {TitleId} uploaded ({Bytes} bytes); transcode queued")]
        public static partial void Queued(ILogger logger, string titleId, long bytes);
    }
}
