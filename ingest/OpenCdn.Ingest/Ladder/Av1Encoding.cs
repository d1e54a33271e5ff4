using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// How the AV1 ladder is encoded: one libsvtav1 rendition per H.264 rung, same picture, same 4-s keyframe times.
/// SVT-AV1 takes a forced keyframe only in CRF mode (<c>enable-force-key-frames</c>; FFmpeg's <c>force_key_frames</c> is
/// otherwise ignored and the encoder keeps its own GOP), so each rung is CRF capped by <c>-maxrate</c>: the quality
/// asked for, within <see cref="BitrateShare"/> of the H.264 rung's bitrate.
/// </summary>
internal sealed record Av1Encoding(int Preset, int Crf, double BitrateShare)
{
    public const string FileSuffix = "_av1";

    public static Av1Encoding? From(Av1Options options) =>
        options.Enabled ? new Av1Encoding(options.Preset, options.Crf, options.BitrateShare) : null;

    /// <summary>The AV1 rendition's id beside <paramref name="rung"/>'s: <c>video_720p_av1</c>.</summary>
    public static string IdOf(Rung rung) => rung.Id + FileSuffix;

    public static string FileNameOf(Rung rung) => IdOf(rung) + ".mp4";

    /// <summary>The bitrate cap of <paramref name="rung"/>'s AV1 rendition, in kbit/s.</summary>
    public int MaxKbps(Rung rung) => Math.Max(50, (int)Math.Round(rung.Kbps * BitrateShare));

    /// <summary>The output options of one AV1 rendition, after <c>-map</c>; the keyframe expression is the H.264 rungs'.</summary>
    public IReadOnlyList<string> Output(Rung rung, string keyframes)
    {
        var max = MaxKbps(rung);
        return ["-c:v", "libsvtav1", "-preset:v", Invariant(Preset), "-crf:v", Invariant(Crf), "-pix_fmt:v", "yuv420p",
            "-maxrate:v", Invariant(max) + "k", "-bufsize:v", Invariant(max * 2) + "k",
            "-fps_mode:v", "cfr", "-force_key_frames:v", keyframes, "-g:v", "100000", "-svtav1-params:v", "enable-force-key-frames=1"];
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
