using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Chunks;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Platform.Queue;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Cuts a long master into parts on the queue: one tracks part (audio, subtitles, tiles and poster, from the whole
/// master) and one video part per chunk of <see cref="ChunkingOptions.ChunkSeconds"/>, cut at the first frame of a 4-s
/// boundary. The parts are recorded in the catalog first, so a retried planner queues nothing twice once it has queued
/// them all. Only progressive masters are chunked: deinterlacing (<c>bwdif</c> reads the fields around each frame) and
/// inverse telecine (<c>decimate</c> drops one frame in each cycle of five) carry state across frames, and a chunk
/// would start them afresh at a seam; such masters keep the single pass.
/// </summary>
internal sealed partial class ChunkPlanner(IJobQueue queue, ChunkStore chunks, IOptions<ChunkingOptions> options, ILogger<ChunkPlanner> logger)
{
    public bool ShouldChunk(ProbedMaster master) =>
        options.Value.ThresholdSeconds > 0 && master.Info.Duration.TotalSeconds > options.Value.ThresholdSeconds
        && master.Info.Picture.Scan.Kind == ScanKind.Progressive && master.Video.FrameRate is > 0 and < 1000;

    public async Task PlanAsync(Title title, string masterKey, ProbedMaster master, CancellationToken cancellationToken)
    {
        var version = title.PackageVersion + 1;
        var seconds = options.Value.ChunkSeconds;
        var fps = master.Video.FrameRate;
        // A tail shorter than a segment joins the last chunk: a container's duration may run past the video (longer audio),
        // and a chunk must never start after the last frame.
        var segment = LadderArguments.SegmentSeconds;
        var count = (int)Math.Clamp(Math.Ceiling((master.Info.Duration.TotalSeconds - segment + 0.001) / seconds), 1, ChunkJob.MaxChunks);
        ChunkRung[] rungs = [.. master.Video.Rungs.Select(r => new ChunkRung(r.ShortSide, r.Kbps, r.Crf))];
        var jobs = new List<ChunkJob> { ChunkJob.Create(title.Id, masterKey, version, ChunkPart.Tracks, 0, count, 0, 0, rungs, Activity.Current) };
        for (var i = 0; i < count; i++)
        {
            var first = FrameRange.FirstFrameAt(i * seconds, fps);
            var frames = i == count - 1 ? 0 : FrameRange.FirstFrameAt((i + 1) * seconds, fps) - first; // the last runs to the end
            jobs.Add(ChunkJob.Create(title.Id, masterKey, version, ChunkPart.Video, i, count, first, frames, rungs, Activity.Current));
        }
        var pending = (await chunks.PlanAsync(title.Id, version, masterKey, [.. jobs.Select(j => j.PartName)], cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => pending.Contains(j.PartName)))
        {
            await queue.SendAsync(job.ToMessage(), cancellationToken);
        }
        await chunks.MarkQueuedAsync(title.Id, version, cancellationToken);
        Log.Planned(logger, title.Id, count, seconds, pending.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(
            220, LogLevel.Information, "Title {TitleId}: cut into {Chunks} chunks of {Seconds} s and a tracks part; {Queued} parts queued")]
        public static partial void Planned(ILogger logger, string titleId, int chunks, int seconds, int queued);
    }
}
