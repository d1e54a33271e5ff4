namespace OpenCdn.Contracts.Packages;

/// <summary>
/// <c>package.json</c>, beside a title's renditions in origin storage (<c>titles/{titleId}/v{version}/</c>). The MPD is
/// rendered from it; it is the source of truth for what a package holds.
/// </summary>
/// <remarks>
/// <see cref="Notes"/> are sentences for people about what the master held and the package leaves out (a bitmap subtitle).
/// </remarks>
public sealed record PackageManifest(
    string TitleId, int Version, double DurationSeconds, IReadOnlyList<Representation> Representations, IReadOnlyList<string>? Notes = null)
{
    public const string FileName = "package.json";

    /// <summary>
    /// Every file the package delivers, each once: what origin publishes, what fill pushes and what an edge serves.
    /// A representation of several files (thumbnail tiles) lists them in <see cref="Representation.Parts"/>.
    /// </summary>
    public IEnumerable<PackageFile> Files() =>
        Representations.SelectMany(r => r.Parts ?? [new PackageFile(r.File, r.Size, r.Sha256)]);
}

/// <summary>One file of a package, as fill moves it and an edge verifies it.</summary>
public sealed record PackageFile(string Name, long Size, string Sha256);

public enum MediaKind
{
    Video,
    Audio,

    /// <summary>Subtitles: one WebVTT file, no init or index range.</summary>
    Text,

    /// <summary>Trick-play thumbnails: JPEG tiles (DASH-IF thumbnail_tile), listed in <see cref="Representation.Parts"/>.</summary>
    Image,
}

/// <summary>
/// One rendition: a fragmented MP4 for the on-demand profile. <see cref="InitRange"/> covers ftyp+moov and
/// <see cref="IndexRange"/> the top-level sidx. <see cref="PresentationTimeOffset"/> is in <see cref="Timescale"/> units.
/// Text and image representations have no ranges; an image representation's tiles are its <see cref="Parts"/>, its
/// <see cref="File"/> is their name template (<c>thumbs_$Number$.jpg</c>), its <see cref="Size"/> their sum, its own
/// <see cref="Sha256"/> empty (each part carries its own), its <see cref="Width"/> and <see cref="Height"/> one tile's, and
/// <see cref="Tiles"/> says how thumbnails are laid out in a tile.
/// <see cref="Role"/> is the DASH role (urn:mpeg:dash:role:2011: main, commentary, description, subtitle) and
/// <see cref="Label"/> what a player's menu shows; audio representations with the same language, role and label are one
/// AdaptationSet (a stereo and a 5.1 encode of one stream).
/// <see cref="Segments"/> are the sidx's media subsegments with their SHA-256, for players that take bytes from peers.
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
    ByteSpan? InitRange,
    ByteSpan? IndexRange,
    int Timescale,
    long PresentationTimeOffset,
    int? Width = null,
    int? Height = null,
    string? FrameRate = null,
    int? SampleRate = null,
    int? Channels = null,
    string? Language = null,
    IReadOnlyList<PackageFile>? Parts = null,
    string? Role = null,
    string? Label = null,
    ThumbnailTiles? Tiles = null,
    IReadOnlyList<SegmentHash>? Segments = null);

/// <summary>An inclusive byte range, written <c>first-last</c> in the MPD.</summary>
public readonly record struct ByteSpan(long First, long Last)
{
    public override string ToString() => FormattableString.Invariant($"{First}-{Last}");
}
