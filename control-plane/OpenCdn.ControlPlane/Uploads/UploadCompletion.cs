using System.Text.Json;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// Turns a finished upload into a queued job: the staged master streams into origin (<c>masters/{titleId}/{file}</c>),
/// the title becomes <c>queued</c>, the job is sent, and only then is the upload forgotten. Every step can run again,
/// so a crash between two of them is mended by the client's next HEAD or PATCH.
/// </summary>
internal sealed partial class UploadCompletion(
    IObjectStore origin, IJobQueue queue, TitleStore titles, UploadStore uploads, UploadStaging staging, ILogger<UploadCompletion> logger)
{
    /// <summary>False when the title can no longer take this master (retired, or another upload won).</summary>
    public async Task<bool> CompleteAsync(Upload upload, CancellationToken cancellationToken)
    {
        var masterKey = $"masters/{upload.TitleId}/{upload.FileName}";
        await using (var master = new FileStream(staging.PathOf(upload.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var stored = await origin.PutAsync(masterKey, master, cancellationToken);
            var queued = await titles.MarkQueuedAsync(upload.TitleId, masterKey, stored.Size, cancellationToken)
                || (await titles.GetAsync(upload.TitleId, cancellationToken))?.MasterKey == masterKey; // a completion cut short, run again
            if (!queued)
            {
                await uploads.DeleteAsync(upload.Id, cancellationToken);
                staging.Delete(upload.Id);
                return false;
            }
        }
        await queue.SendAsync(JsonSerializer.Serialize(new TranscodeJob(upload.TitleId, masterKey)), cancellationToken);
        await uploads.DeleteAsync(upload.Id, cancellationToken);
        staging.Delete(upload.Id);
        Log.Queued(logger, upload.TitleId, upload.Length);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Master of title {TitleId} uploaded ({Bytes} bytes); transcode queued")]
        public static partial void Queued(ILogger logger, string titleId, long bytes);
    }
}
