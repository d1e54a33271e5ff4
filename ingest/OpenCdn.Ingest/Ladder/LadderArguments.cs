using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// The one ffmpeg command that decodes the master once (a <c>split</c> filter) and writes every rendition as its own
/// fragmented MP4 with a top-level <c>sidx</c> (<c>-movflags +dash+global_sidx</c>): keyframes forced every 4 s by
/// time, closed GOPs and no scene-cut keyframes, so fragments align across renditions at any frame rate. One more branch
/// of the split makes the trick-play thumbnail tiles (<see cref="Thumbnails"/>); the audio and subtitle outputs
/// (<c>AudioOutputs</c>, <c>SubtitleOutputs</c>) are appended to the same command. With a <see cref="FrameRange"/> it
/// encodes one chunk of a chunked encode: the same rungs and options over those frames only, and the chunk's thumbnails
/// untiled, for the assembly to tile. The AV1 ladder,
/// when the plan has one (<see cref="Av1Encoding"/>), is in the same command: the same scaled pictures, the same keyframe times.
/// </summary>
internal static class LadderArguments
{
    public const int SegmentSeconds = 4;

    /// <summary>Keyframes by time, the same expression for every rendition of every codec: t ≥ 4 s × keyframes so far.</summary>
    public static readonly string Keyframes = $"expr:gte(t,n_forced*{SegmentSeconds})";

    public static IReadOnlyList<string> Build(
        string master, string outputFolder, VideoPlan video, string preset, FrameRange? range = null)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };
        if (range is { First: > 0 })
        {
            args.AddRange(["-ss", range.SeekSeconds]);
        }
        args.AddRange(["-i", master, "-filter_complex", VideoFilters.Graph(video, range)]);
        var keyframes = range?.KeyframeExpression(SegmentSeconds) ?? Keyframes;
        string[] frames = range is { Count: > 0 } ? ["-frames:v", range.Count.ToString(CultureInfo.InvariantCulture)] : [];
        foreach (var (rung, i) in video.Rungs.Select((r, i) => (r, i)))
        {
            args.AddRange(["-map", $"[v{i}]", .. VideoFilters.OutputTags(video),
                "-c:v", "libx264", "-preset:v", preset, "-profile:v", "high", "-pix_fmt:v", "yuv420p",
                .. Rate(rung), "-maxrate:v", Kbps(rung.Kbps * 11 / 10), "-bufsize:v", Kbps(rung.Kbps * 2),
                "-fps_mode:v", "cfr", .. frames,
                "-force_key_frames:v", keyframes, "-g:v", "100000", "-keyint_min:v", "100000",
                "-sc_threshold:v", "0", "-forced-idr:v", "1", "-x264-params:v", "scenecut=0:open_gop=0",
                .. Mp4Output(Path.Combine(outputFolder, rung.FileName))]);
        }
        if (video.Av1 is { } av1)
        {
            foreach (var (rung, i) in video.Rungs.Select((r, i) => (r, i)))
            {
                args.AddRange(["-map", $"[a{i}]", .. VideoFilters.OutputTags(video), .. av1.Output(rung, keyframes), .. frames,
                    .. Mp4Output(Path.Combine(outputFolder, Av1Encoding.FileNameOf(rung)))]);
            }
        }
        args.AddRange(["-map", "[thumbs]", .. range is null
            ? Thumbnails.Output(outputFolder)
            : Thumbnails.CellsOutput(outputFolder, range.ThumbnailCount)]);
        return args;
    }

    /// <summary>One poster frame, 640 wide at the display aspect, from a third into the title (at most 10 s in).</summary>
    public static IReadOnlyList<string> Poster(string master, string posterFile, TimeSpan duration, VideoPlan video)
    {
        var at = TimeSpan.FromSeconds(Math.Min(10, duration.TotalSeconds / 3));
        return ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", master, "-frames:v", "1", "-vf", VideoFilters.Poster(video, 640), "-q:v", "4", posterFile];
    }

    /// <summary>The fixed ladder's average bitrate, or a per-title rung's CRF (its cap is the same -maxrate).</summary>
    private static IReadOnlyList<string> Rate(Rung rung) => rung.Crf is { } crf
        ? ["-crf:v", crf.ToString("0.#", CultureInfo.InvariantCulture)]
        : ["-b:v", Kbps(rung.Kbps)];

    /// <summary>A fragmented MP4 with one fragment per keyframe and a top-level sidx: an on-demand DASH rendition.</summary>
    private static string[] Mp4Output(string path) =>
        ["-map_metadata", "-1", "-movflags", "+dash+global_sidx+skip_trailer", "-f", "mp4", path];

    private static string Kbps(int kbps) => kbps.ToString(CultureInfo.InvariantCulture) + "k";
}
