namespace OpenCdn.Contracts.Packages;

/// <summary>
/// <c>package.json</c>, beside a title's renditions in origin storage (<c>titles/{titleId}/v{version}/</c>). The MPD is
/// rendered from it; it is the source of truth for what a package holds.
/// </summary>
public sealed record PackageManifest(string TitleId, int Version, double DurationSeconds, IReadOnlyList<Representation> Representations)
{
    public const string FileName = "package.json";
}

public enum MediaKind
{
    Video,
    Audio,
}

/// <summary>
/// One rendition: a fragmented MP4 for the on-demand profile. <see cref="InitRange"/> covers ftyp+moov and
/// <see cref="IndexRange"/> the top-level sidx. <see cref="PresentationTimeOffset"/> is in <see cref="Timescale"/> units.
/// </summary>
public sealed record Representation(
    string Id,
    MediaKind Kind,
    string File,
    string MimeType,
    string Codecs,
    int Bandwidth,
    long Size,
    string Sha256,
    ByteSpan InitRange,
    ByteSpan IndexRange,
    int Timescale,
    long PresentationTimeOffset,
    int? Width = null,
    int? Height = null,
    string? FrameRate = null,
    int? SampleRate = null,
    int? Channels = null,
    string? Language = null);

/// <summary>An inclusive byte range, written <c>first-last</c> in the MPD.</summary>
public readonly record struct ByteSpan(long First, long Last)
{
    public override string ToString() => FormattableString.Invariant($"{First}-{Last}");
}
