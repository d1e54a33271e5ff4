using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// The frames of one chunk of a chunked encode: <see cref="Count"/> frames from <see cref="First"/> at the ladder's
/// <see cref="FrameRate"/> (a count of 0 means to the end of the master), starting at the 4-s boundary
/// <see cref="StartSeconds"/>. Chunks cut by frame number, not by time, so each frame lands in exactly one chunk at any
/// frame rate (at 29.97 fps a boundary falls between frames), and the chunk's keyframes fall on the frames the single
/// pass makes keyframes of.
/// </summary>
internal sealed record FrameRange(long First, long Count, double FrameRate)
{
    /// <summary>The 4-s boundary the chunk starts at: the first frame is at most one frame after it.</summary>
    public double StartSeconds => BoundaryAtOrBefore(First);

    /// <summary>How far the first frame is after <see cref="StartSeconds"/>: less than a frame.</summary>
    public double LeadSeconds => First / FrameRate - StartSeconds;

    /// <summary>
    /// The trick-play thumbnails in the chunk (one per <see cref="Thumbnails.IntervalSeconds"/>, which divides the
    /// segment); 0 for the last chunk, which runs to the end.
    /// </summary>
    public long ThumbnailCount =>
        Count == 0 ? 0 : (long)Math.Round((BoundaryAtOrBefore(First + Count) - StartSeconds) / Thumbnails.IntervalSeconds);

    /// <summary>The first frame at or after <paramref name="seconds"/> (a frame exactly on it is that frame).</summary>
    public static long FirstFrameAt(int seconds, double frameRate) => (long)Math.Ceiling(seconds * frameRate - 1e-6);

    /// <summary>
    /// The input seek, a quarter frame before the first frame: the decoder keeps frames from there on, and the first one
    /// lands in output slot 0 (constant frame rate keeps every later frame in step).
    /// </summary>
    public string SeekSeconds => Seconds(Math.Max(0, (First - 0.25) / FrameRate));

    /// <summary>
    /// The <c>-force_key_frames</c> expression: the single pass forces a keyframe at the first frame at or after every
    /// 4-s mark (<c>gte(t,n_forced*4)</c>); a chunk's own clock starts at its first frame, which is up to one frame after
    /// <see cref="StartSeconds"/>, so its marks move back by that much.
    /// </summary>
    public string KeyframeExpression(int segmentSeconds)
    {
        var lead = LeadSeconds;
        var every = segmentSeconds.ToString(CultureInfo.InvariantCulture);
        return lead <= 0 ? $"expr:gte(t,n_forced*{every})" : $"expr:gte(t,n_forced*{every}-{Seconds(lead)})";
    }

    private double BoundaryAtOrBefore(long frame) =>
        Math.Floor((frame / FrameRate + 1e-6) / LadderArguments.SegmentSeconds) * LadderArguments.SegmentSeconds;

    private static string Seconds(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
