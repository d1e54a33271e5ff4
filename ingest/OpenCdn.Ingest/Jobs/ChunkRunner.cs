using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Chunks;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Ingest.Tracks;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Runs one part of a chunked encode: a video chunk through the ladder's own arguments over its frames (with its
/// trick-play thumbnails), or the tracks part; puts the output in origin's scratch prefix, marks the part done in the
/// catalog, and, when that made every part done and this part takes the assembly
/// (<see cref="ChunkStore.TryClaimAssemblyAsync"/>), assembles the package. A
/// worker that dies costs its part only: the part's message comes back after its visibility timeout, and parts already
/// done are not encoded again. The same failure rules as a transcode job hold (a rejected master or FFmpeg error fails
/// the title; an error on the last attempt fails it; a part that dies on every attempt is dead-lettered, which fails it).
/// </summary>
internal sealed partial class ChunkRunner(
    IObjectStore origin, IJobQueue queue, TitleStore titles, ChunkStore chunks, IOptions<IngestOptions> options, WorkFolder work,
    MasterCache masters, ChunkAssembler assembler, VisibilityKeeper visibility, ILogger<ChunkRunner> logger)
{
    public async Task RunAsync(ChunkJob job, QueueMessage message, CancellationToken cancellationToken)
    {
        var title = await titles.GetAsync(job.TitleId, cancellationToken);
        var state = title is { Status: TitleStatus.Transcoding } && title.MasterKey == job.MasterKey
            ? await chunks.StateOfAsync(job.TitleId, job.Version, job.MasterKey, job.PartName, cancellationToken)
            : PartState.Unknown;
        if (title is null || state == PartState.Unknown)
        {
            // Retired, replaced by a newer upload, failed, or already assembled by an earlier delivery.
            await queue.DeleteAsync(message, cancellationToken);
            return;
        }
        using var activity = JobActivities.StartChunk(job, message);
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var extending = visibility.KeepHiddenAsync(message, keepAlive.Token);
        var workId = title.Id + job.PartName;
        try
        {
            await RunPartAsync(title, job, state, workId, cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is MasterRejectedException or FfmpegFailedException)
        {
            var kind = (e as MasterRejectedException)?.Kind ?? FailureKind.EncodeFailed;
            Log.Rejected(logger, title.Id, job.PartName, kind, e.Message);
            await titles.MarkFailedAsync(title.Id, FailureReasons.For(kind), cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && message.ReceiveCount >= options.Value.MaxAttempts)
        {
            Log.GaveUp(logger, e, title.Id, job.PartName, message.ReceiveCount);
            await titles.MarkFailedAsync(title.Id, FailureReasons.For(FailureKind.RepeatedErrors), cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
        finally
        {
            await keepAlive.CancelAsync();
            await extending;
            work.Clear(workId);
        }
    }

    private async Task RunPartAsync(Title title, ChunkJob job, PartState state, string workId, CancellationToken cancellationToken)
    {
        ProbedMaster? master = null;
        var folder = work.Create(workId);
        if (state == PartState.Pending)
        {
            var started = Stopwatch.GetTimestamp();
            Log.EncodingPart(logger, title.Id, job.PartName, job.ChunkIndex, job.ChunkCount);
            master = MasterSource.WithRungs(await masters.FetchAsync(title.Id, job.MasterKey, folder, cancellationToken), job.Rungs);
            var fetched = Stopwatch.GetTimestamp();
            var output = Directory.CreateDirectory(Path.Combine(folder, "out")).FullName;
            using (JobActivities.StartStage("ingest.encode"))
            {
                await EncodeAsync(title.Id, job, master, output, cancellationToken);
            }
            var encoded = Stopwatch.GetTimestamp();
            using (JobActivities.StartStage("ingest.publish_chunk"))
            {
                foreach (var file in Directory.EnumerateFiles(output))
                {
                    await using var body = File.OpenRead(file);
                    await origin.PutAsync(OriginKeys.ChunkFile(title.Id, job.Version, job.PartName, Path.GetFileName(file)), body, cancellationToken);
                }
            }
            var (done, total) = await chunks.CompleteAsync(title.Id, job.Version, job.PartName, cancellationToken);
            await titles.ReportProgressAsync(title.Id, done * 100 / total, cancellationToken);
            Log.PartDone(logger, title.Id, job.PartName, done, total, Stopwatch.GetElapsedTime(started).TotalSeconds,
                Stopwatch.GetElapsedTime(started, fetched).TotalSeconds, Stopwatch.GetElapsedTime(fetched, encoded).TotalSeconds,
                Stopwatch.GetElapsedTime(encoded).TotalSeconds);
        }
        if (await chunks.TryClaimAssemblyAsync(title.Id, job.Version, job.PartName, cancellationToken))
        {
            master ??= MasterSource.WithRungs(await masters.FetchAsync(title.Id, job.MasterKey, folder, cancellationToken), job.Rungs);
            await assembler.AssembleAsync(title.Id, job, master, folder, cancellationToken);
            masters.Forget(title.Id);
        }
    }

    private async Task EncodeAsync(string titleId, ChunkJob job, ProbedMaster master, string output, CancellationToken cancellationToken)
    {
        var preset = options.Value.Preset;
        if (job.Part == ChunkPart.Video)
        {
            var range = new FrameRange(job.FirstFrame, job.FrameCount, master.Video.FrameRate);
            await FfmpegProcess.RunAsync(
                work.Ffmpeg, LadderArguments.Build(master.Path, output, master.Video, preset, range), null, cancellationToken);
            return;
        }
        // The tracks part: audio and subtitles as in a single pass (no video decode: the chunks make the thumbnails), the poster.
        string[] tracks =
        [
            .. AudioOutputs.Arguments(output, AudioOutputs.Plan(master.Tracks.Audio)),
            .. SubtitleOutputs.Arguments(output, SubtitleOutputs.For(titleId, master.Tracks.Subtitles)),
        ];
        if (tracks.Length > 0)
        {
            await FfmpegProcess.RunAsync(
                work.Ffmpeg, ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", master.Path, .. tracks], null, cancellationToken);
        }
        await FfmpegProcess.RunAsync(
            work.Ffmpeg, LadderArguments.Poster(master.Path, Path.Combine(output, "poster.jpg"), master.Info.Duration, master.Video), null,
            cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(221, LogLevel.Information, "Title {TitleId}: encoding part {Part} (chunk {Index} of {Count})")]
        public static partial void EncodingPart(ILogger logger, string titleId, string part, int index, int count);

        [LoggerMessage(222, LogLevel.Information, "Title {TitleId}: part {Part} done ({Done} of {Total}) in {Seconds:0.00} s "
            + "(master {MasterSeconds:0.00} s, encode {EncodeSeconds:0.00} s, upload and catalog {UploadSeconds:0.00} s)")]
        public static partial void PartDone(
            ILogger logger, string titleId, string part, int done, int total, double seconds, double masterSeconds, double encodeSeconds,
            double uploadSeconds);

        [LoggerMessage(223, LogLevel.Warning, "Title {TitleId} failed in part {Part} ({Kind}): {Detail}")]
        public static partial void Rejected(ILogger logger, string titleId, string part, FailureKind kind, string detail);

        [LoggerMessage(224, LogLevel.Error, "Title {TitleId}: giving up on part {Part} after {Attempts} attempts")]
        public static partial void GaveUp(ILogger logger, Exception exception, string titleId, string part, int attempts);
    }
}
