using System.Diagnostics;
using System.Text.Json;

namespace OpenCdn.Contracts.Jobs;

/// <summary>
/// The job-queue message that asks a worker to encode one part of a long title cut into chunks (in
/// <see cref="ContractJson"/>), beside <see cref="TranscodeJob"/> on the same queue. A <see cref="ChunkPart.Video"/>
/// part is the ladder's video for frames [<see cref="FirstFrame"/>, <see cref="FirstFrame"/> + <see cref="FrameCount"/>)
/// of the ladder's frame rate (a count of 0 means to the end of the master), with those frames' trick-play thumbnails; the
/// one <see cref="ChunkPart.Tracks"/> part is everything encoded whole: audio, subtitles and the poster. <see cref="Version"/> is the package
/// version the parts make. It carries <see cref="TitleId"/> and <see cref="MasterKey"/> under the same names as a
/// transcode job, so a dead-lettered chunk fails its title like a dead-lettered transcode job does. <see cref="Rungs"/> is the
/// ladder the planning worker chose for the title (per-title bitrates), so every part encodes and describes the same one.
/// </summary>
public sealed record ChunkJob(
    string TitleId, string MasterKey, int Version, ChunkPart Part, int ChunkIndex, int ChunkCount, long FirstFrame, long FrameCount,
    string? TraceParent = null, string? TraceState = null, IReadOnlyList<ChunkRung>? Rungs = null)
{
    /// <summary>The most rungs a chunk job carries.</summary>
    public const int MaxRungs = 16;

    /// <summary>The most chunks one title is cut into (a 2-hour film in 4-s chunks is 1,800).</summary>
    public const int MaxChunks = 10_000;

    /// <summary>The part's name in the catalog and in origin's scratch prefix: <c>c0007</c> or <c>tracks</c>.</summary>
    public string PartName => Part == ChunkPart.Tracks ? "tracks" : $"c{ChunkIndex:D4}";

    public static ChunkJob Create(
        string titleId, string masterKey, int version, ChunkPart part, int index, int count, long firstFrame, long frameCount,
        IReadOnlyList<ChunkRung> rungs, Activity? activity)
    {
        var job = new ChunkJob(titleId, masterKey, version, part, index, count, firstFrame, frameCount, Rungs: rungs);
        return activity is { IdFormat: ActivityIdFormat.W3C, Recorded: true, Id: { } id }
            ? job with { TraceParent = id, TraceState = activity.TraceStateString is { Length: <= TranscodeJob.MaxTraceStateLength } s ? s : null }
            : job;
    }

    public string ToMessage() => JsonSerializer.Serialize(this, ContractJson.Options);

    /// <summary>The trace to continue; false when the message carries none or a malformed one.</summary>
    public bool TryGetTraceContext(out ActivityContext context)
    {
        var state = TraceState is { Length: <= TranscodeJob.MaxTraceStateLength } ? TraceState : null;
        return ActivityContext.TryParse(TraceParent, state, isRemote: true, out context);
    }

    /// <summary>
    /// The chunk job a queue message carries; null when the body is not one (a transcode job, or anything malformed or
    /// out of range). It never throws on bad input.
    /// </summary>
    public static ChunkJob? FromMessage(string body)
    {
        ChunkJob? job;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("part", out _))
            {
                return null;
            }
            job = document.RootElement.Deserialize<ChunkJob>(ContractJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
        var valid = job is { TitleId: { Length: > 0 }, MasterKey: { Length: > 0 }, Version: > 0, FirstFrame: >= 0, FrameCount: >= 0 }
            && job.ChunkCount is > 0 and <= MaxChunks && job.ChunkIndex >= 0 && job.ChunkIndex < job.ChunkCount && Enum.IsDefined(job.Part)
            && (job.Rungs is null || job.Rungs is { Count: > 0 and <= MaxRungs } && job.Rungs.All(r => r is not null && r.IsValid));
        return valid ? job : null;
    }
}

/// <summary>One rung of the ladder a chunked title is encoded with: the frame's short side, its bitrate and its CRF (per-title).</summary>
public sealed record ChunkRung(int ShortSide, int Kbps, double? Crf)
{
    public bool IsValid => ShortSide is > 0 and <= 8192 && Kbps is > 0 and <= 1_000_000 && Crf is null or (>= 0 and <= 51);
}

/// <summary>What a <see cref="ChunkJob"/> encodes.</summary>
public enum ChunkPart
{
    /// <summary>A time range of the video ladder, and its trick-play thumbnails.</summary>
    Video,

    /// <summary>Audio, subtitles and the poster, from the whole master.</summary>
    Tracks,
}
