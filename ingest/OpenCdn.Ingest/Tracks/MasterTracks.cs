namespace OpenCdn.Ingest.Tracks;

/// <summary>The audio and subtitle streams of a master, in stream order, as <see cref="TrackProbe"/> read them.</summary>
internal sealed record MasterTracks(IReadOnlyList<AudioTrack> Audio, IReadOnlyList<SubtitleTrack> Subtitles)
{
    public static MasterTracks None { get; } = new([], []);
}

/// <summary>
/// One audio stream: <see cref="Ordinal"/> is its place among the audio streams (ffmpeg's <c>0:a:N</c>);
/// <see cref="Role"/> is the DASH role from its disposition (main, commentary, description).
/// </summary>
internal sealed record AudioTrack(int Ordinal, string Language, int Channels, string? Layout, string Role, string? Title);

/// <summary>One subtitle stream: <see cref="Ordinal"/> is ffmpeg's <c>0:s:N</c>; text codecs become WebVTT, bitmap ones cannot.</summary>
internal sealed record SubtitleTrack(int Ordinal, string Language, string Codec)
{
    private static readonly HashSet<string> TextCodecs = ["subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"];

    private static readonly HashSet<string> BitmapCodecs = ["hdmv_pgs_subtitle", "dvb_subtitle", "dvd_subtitle", "xsub"];

    public bool IsText => TextCodecs.Contains(Codec);

    public bool IsBitmap => BitmapCodecs.Contains(Codec);
}
