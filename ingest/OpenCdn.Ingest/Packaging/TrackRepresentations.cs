using System.Security.Cryptography;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Tracks;

namespace OpenCdn.Ingest.Packaging;

/// <summary>Describes the encoded audio renditions and WebVTT subtitle files of a title as package representations.</summary>
internal static class TrackRepresentations
{
    public static async Task<IReadOnlyList<Representation>> BuildAsync(
        string folder, TimeSpan duration, IReadOnlyList<AudioRendition> audio, SubtitleOutputs.Plan subtitles,
        CancellationToken cancellationToken)
    {
        var representations = new List<Representation>();
        foreach (var r in audio)
        {
            var layout = await RenditionInspector.InspectAsync(Path.Combine(folder, r.FileName), cancellationToken);
            representations.Add(new Representation(
                r.Id, MediaKind.Audio, r.FileName, "audio/mp4", layout.Codecs, BandwidthOf(layout.Size, duration, r.Kbps * 1000),
                layout.Size, layout.Sha256, layout.InitRange, layout.IndexRange, layout.Timescale, 0,
                SampleRate: 48000, Channels: r.Channels, Language: r.Language, Role: r.Role, Label: r.Label));
        }
        foreach (var (track, id) in subtitles.Text)
        {
            var file = id + ".vtt";
            representations.Add(await TextAsync(Path.Combine(folder, file), id, track.Language, duration, cancellationToken));
        }
        return representations;
    }

    /// <summary>A WebVTT file as a text representation: no ranges, no codecs, role <c>subtitle</c>.</summary>
    public static async Task<Representation> TextAsync(
        string path, string id, string language, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new Representation(
            id, MediaKind.Text, Path.GetFileName(path), "text/vtt", "", BandwidthOf(file.Length, duration, 1000), file.Length, sha,
            null, null, 1000, 0, Language: language, Role: "subtitle");
    }

    private static int BandwidthOf(long size, TimeSpan duration, int target) =>
        (int)Math.Max(target, size * 8 / Math.Max(1, duration.TotalSeconds));
}
