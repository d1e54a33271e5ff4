using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Ladder.PerTitle;
using OpenCdn.Ingest.Probe;
using OpenCdn.Ingest.Tracks;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Runs one transcode job: fetch the master, probe it, encode the ladder in one ffmpeg process, describe and publish
/// the package (package.json last, so a package without it is never seen), then mark the title ready. A master longer
/// than the chunking threshold is instead cut into chunk jobs (<see cref="ChunkPlanner"/>, <see cref="ChunkRunner"/>). A rerun of the
/// same job (a worker died) writes the same version again; nothing is visible until it completes.
/// </summary>
internal sealed partial class TranscodeRunner(
    IJobQueue queue, TitleStore titles, IOptions<IngestOptions> options, WorkFolder work, MasterCache masters, ChunkPlanner planner,
    PackagePublisher publisher, VisibilityKeeper visibility, TimeProvider time,
    PerTitleLadder perTitle, ILogger<TranscodeRunner> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var job = TranscodeJob.FromMessage(message.Body);
        if (job is null || string.IsNullOrEmpty(job.TitleId) || !ObjectKey.IsValid(job.MasterKey))
        {
            Log.BadMessage(logger, message.Id);
            await queue.DeleteAsync(message, cancellationToken);
            return;
        }
        var title = await titles.GetAsync(job.TitleId, cancellationToken);
        if (title is null || title.MasterKey != job.MasterKey || title.Status is TitleStatus.Ready or TitleStatus.Failed)
        {
            // Retired, replaced by a newer upload, or already done by an earlier delivery of this message.
            await queue.DeleteAsync(message, cancellationToken);
            return;
        }
        using var activity = JobActivities.StartJob(job, message);
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var extending = visibility.KeepHiddenAsync(message, keepAlive.Token);
        var chunked = false;
        try
        {
            chunked = await TranscodeAsync(title, job.MasterKey, cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is MasterRejectedException or FfmpegFailedException)
        {
            var kind = (e as MasterRejectedException)?.Kind ?? FailureKind.EncodeFailed;
            Log.Rejected(logger, title.Id, kind, e.Message);
            await titles.MarkFailedAsync(title.Id, FailureReasons.For(kind), cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && message.ReceiveCount >= options.Value.MaxAttempts)
        {
            // The last attempt: the title fails and the job is done with. (A job whose worker dies on every attempt
            // reaches the dead-letter queue instead, where the DeadLetterWorker fails its title.)
            Log.GaveUp(logger, e, title.Id, message.ReceiveCount);
            await titles.MarkFailedAsync(title.Id, FailureReasons.For(FailureKind.RepeatedErrors), cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        finally
        {
            await keepAlive.CancelAsync();
            await extending;
            work.Clear(title.Id);
            if (!chunked)
            {
                masters.Forget(title.Id); // a chunked title's master stays for the parts this worker takes next
            }
        }
    }

    /// <summary>The job's stages, each a span under the job's (see <see cref="JobActivities"/>); true when the title was chunked.</summary>
    private async Task<bool> TranscodeAsync(Title title, string masterKey, CancellationToken cancellationToken)
    {
        try
        {
            await titles.MarkTranscodingAsync(title.Id, cancellationToken);
            var folder = work.Create(title.Id);
            var master = await masters.FetchAsync(title.Id, masterKey, folder, cancellationToken);
            // A long master: its tracks part goes on the queue now, for another worker while this one chooses the ladder.
            var chunks = planner.ShouldChunk(master) ? await planner.StartAsync(title, masterKey, master, cancellationToken) : null;
            using (JobActivities.StartStage("ingest.analyze"))
            {
                // Before the video is cut: the chunks of a long master all get the ladder chosen here (carried in their jobs).
                master = master with
                {
                    Video = await perTitle.ChooseAsync(
                        title.Id, work.Ffmpeg, master.Path, master.Info.Duration, master.Video, cancellationToken),
                };
            }
            var (info, video) = (master.Info, master.Video);
            if (chunks is not null)
            {
                // Its video chunks go on the queue for any worker, and the last part to finish assembles.
                await planner.QueueVideoAsync(chunks, master, cancellationToken);
                return true;
            }
            var output = Directory.CreateDirectory(Path.Combine(folder, "out")).FullName;
            var audio = AudioOutputs.Plan(master.Tracks.Audio);
            var subtitles = SubtitleOutputs.For(title.Id, master.Tracks.Subtitles);
            Log.Encoding(logger, title.Id, info.Width, info.Height, video.Rungs.Count, info.HasAudio);
            Log.Picture(logger, title.Id, info.Picture.SampleAspect.ToString(), info.Picture.Scan.ToString(),
                info.Picture.Crop?.ToString() ?? "none", info.Picture.Range, video.Rungs[0].Width, video.Rungs[0].Height);
            using (var encode = JobActivities.StartStage("ingest.encode"))
            {
                encode?.SetTag("opencdn.ingest.rungs", video.Rungs.Count);
                var progress = new ProgressReporter(titles, title.Id, info.Duration, time, ProgressInterval);
                // Audio and subtitles are outputs of the same command: the master is read and decoded once.
                await FfmpegProcess.RunAsync(
                    work.Ffmpeg,
                    [.. LadderArguments.Build(master.Path, output, video, options.Value.Preset),
                        .. AudioOutputs.Arguments(output, audio), .. SubtitleOutputs.Arguments(output, subtitles)],
                    progress.Report, cancellationToken);
                await progress.FlushAsync(cancellationToken);
                await FfmpegProcess.RunAsync(
                    work.Ffmpeg, LadderArguments.Poster(master.Path, Path.Combine(output, "poster.jpg"), info.Duration, video), null,
                    cancellationToken);
            }

            var version = title.PackageVersion + 1;
            await publisher.PublishAsync(title.Id, version, output, master, cancellationToken);
            Log.Ready(logger, title.Id, version);
            return false;
        }
        catch (Exception e) when (JobActivities.Failed(e)) // runs while the failing stage's span is still open
        {
            throw; // never reached: the filter only marks the spans
        }
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning, "Queue message {MessageId} is not a transcode job; dropped")]
        public static partial void BadMessage(ILogger logger, string messageId);

        [LoggerMessage(201, LogLevel.Information, "Title {TitleId}: encoding {Width}x{Height} into {Rungs} renditions (audio: {HasAudio})")]
        public static partial void Encoding(ILogger logger, string titleId, int width, int height, int rungs, bool hasAudio);

        [LoggerMessage(202, LogLevel.Information, "Title {TitleId}: package v{Version} published; ready")]
        public static partial void Ready(ILogger logger, string titleId, int version);

        [LoggerMessage(203, LogLevel.Warning, "Title {TitleId} failed ({Kind}): {Detail}")]
        public static partial void Rejected(ILogger logger, string titleId, FailureKind kind, string detail);

        [LoggerMessage(204, LogLevel.Error, "Title {TitleId}: giving up after {Attempts} attempts")]
        public static partial void GaveUp(ILogger logger, Exception exception, string titleId, int attempts);

        [LoggerMessage(261, LogLevel.Information,
            "Title {TitleId}: picture SAR {Sar}, {Scan}, crop {Crop}, {Range}; top rung {Width}x{Height}")]
        public static partial void Picture(
            ILogger logger, string titleId, string sar, string scan, string crop, DynamicRange range, int width, int height);
    }
}
