using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Chunks;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Cuts a long master into parts on the queue: one tracks part (audio, subtitles and poster, from the whole master) and
/// one video part per chunk of <see cref="ChunkingOptions.ChunkSeconds"/>, cut at the first frame of a 4-s boundary (with
/// its trick-play thumbnails). The parts are recorded in the catalog first, so a retried planner queues nothing twice once
/// it has queued them all. The tracks part does not depend on the ladder, so it is queued first (<see cref="StartAsync"/>)
/// and another worker encodes it while this one runs the per-title analysis; the video parts follow with the chosen ladder
/// (<see cref="QueueVideoAsync"/>), which is also written beside the parts' outputs for an assembly by the tracks part.
/// Only progressive masters are chunked: deinterlacing (<c>bwdif</c> reads the fields around each frame) and
/// inverse telecine (<c>decimate</c> drops one frame in each cycle of five) carry state across frames, and a chunk
/// would start them afresh at a seam; such masters keep the single pass.
/// </summary>
internal sealed partial class ChunkPlanner(
    IJobQueue queue, ChunkStore chunks, IObjectStore origin, IOptions<ChunkingOptions> options, ILogger<ChunkPlanner> logger)
{
    public bool ShouldChunk(ProbedMaster master) =>
        options.Value.ThresholdSeconds > 0 && master.Info.Duration.TotalSeconds > options.Value.ThresholdSeconds
        && master.Info.Picture.Scan.Kind == ScanKind.Progressive && master.Video.FrameRate is > 0 and < 1000;

    /// <summary>Records every part in the catalog and queues the tracks part (unless a run before this one queued it all).</summary>
    public async Task<ChunkPlan> StartAsync(Title title, string masterKey, ProbedMaster master, CancellationToken cancellationToken)
    {
        var version = title.PackageVersion + 1;
        var seconds = options.Value.ChunkSeconds;
        // A tail shorter than a segment joins the last chunk: a container's duration may run past the video (longer audio),
        // and a chunk must never start after the last frame.
        var segment = LadderArguments.SegmentSeconds;
        var count = (int)Math.Clamp(Math.Ceiling((master.Info.Duration.TotalSeconds - segment + 0.001) / seconds), 1, ChunkJob.MaxChunks);
        var tracks = ChunkJob.Create(title.Id, masterKey, version, ChunkPart.Tracks, 0, count, 0, 0, [], Activity.Current) with { Rungs = null };
        string[] names =
            [tracks.PartName, .. Enumerable.Range(0, count).Select(i => (tracks with { Part = ChunkPart.Video, ChunkIndex = i }).PartName)];
        var pending = (await chunks.PlanAsync(title.Id, version, masterKey, names, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (pending.Contains(tracks.PartName))
        {
            await queue.SendAsync(tracks.ToMessage(), cancellationToken);
        }
        return new ChunkPlan(title.Id, masterKey, version, count, pending);
    }

    /// <summary>Writes the chosen ladder, then queues the video chunks still pending, each with that ladder.</summary>
    public async Task QueueVideoAsync(ChunkPlan plan, ProbedMaster master, CancellationToken cancellationToken)
    {
        var seconds = options.Value.ChunkSeconds;
        if (plan.Pending.Count == 0)
        {
            Log.Planned(logger, plan.TitleId, plan.Count, seconds, 0); // a retried planner: an earlier run queued every part
            return;
        }
        var fps = master.Video.FrameRate;
        ChunkRung[] rungs = [.. master.Video.Rungs.Select(r => new ChunkRung(r.ShortSide, r.Kbps, r.Crf))];
        using (var ladder = new MemoryStream(new ChunkLadder(rungs).ToJson()))
        {
            await origin.PutAsync(OriginKeys.ChunkLadder(plan.TitleId, plan.Version), ladder, cancellationToken);
        }
        for (var i = 0; i < plan.Count; i++)
        {
            var first = FrameRange.FirstFrameAt(i * seconds, fps);
            var frames = i == plan.Count - 1 ? 0 : FrameRange.FirstFrameAt((i + 1) * seconds, fps) - first; // the last runs to the end
            var job = ChunkJob.Create(
                plan.TitleId, plan.MasterKey, plan.Version, ChunkPart.Video, i, plan.Count, first, frames, rungs, Activity.Current);
            if (plan.Pending.Contains(job.PartName))
            {
                await queue.SendAsync(job.ToMessage(), cancellationToken);
            }
        }
        await chunks.MarkQueuedAsync(plan.TitleId, plan.Version, cancellationToken);
        Log.Planned(logger, plan.TitleId, plan.Count, seconds, plan.Pending.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(
            220, LogLevel.Information, "Title {TitleId}: cut into {Chunks} chunks of {Seconds} s and a tracks part; {Queued} parts queued")]
        public static partial void Planned(ILogger logger, string titleId, int chunks, int seconds, int queued);
    }
}
