using OpenCdn.Contracts.Packages;

namespace OpenCdn.ControlPlane.Packages;

/// <summary>
/// The video AdaptationSets of an MPD: one per codec (a player cannot switch codecs within a set), H.264 first as set 0,
/// each best first. The ladders share their keyframe times, so the sets' segments are aligned. When a package has
/// more than one codec, each set gets a <c>selectionPriority</c> (DASH: higher is preferred): AV1 above H.264, so a
/// player that decodes AV1 starts there (dash.js reads it; Shaka prefers the codec with the lower bitrates by
/// itself), and one that does not drops the AV1 set and keeps H.264.
/// </summary>
internal static class VideoSets
{
    /// <summary>Set ids above the audio and text sets' (1, 2, …) and the thumbnail set's (100).</summary>
    private const int FirstExtraId = 101;

    public sealed record Set(int Id, IReadOnlyList<Representation> Representations, int? SelectionPriority);

    public static IEnumerable<Set> Of(PackageManifest package)
    {
        var sets = package.Representations.Where(r => r.Kind == MediaKind.Video)
            .GroupBy(r => Family(r.Codecs))
            .OrderBy(g => Rank(g.Key))
            .Select(g => (IReadOnlyList<Representation>)g.OrderByDescending(r => r.Bandwidth).ToList())
            .ToList();
        return sets.Select((set, i) => new Set(
            i == 0 ? 0 : FirstExtraId + i - 1, set, sets.Count > 1 ? Priority(Family(set[0].Codecs)) : null));
    }

    /// <summary>The codec's sample entry: <c>avc1</c>, <c>av01</c>.</summary>
    private static string Family(string codecs)
    {
        var dot = codecs.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? codecs : codecs[..dot];
    }

    /// <summary>The order of the sets in the MPD: the most widely decoded first.</summary>
    private static int Rank(string family) => family switch
    {
        "avc1" or "avc3" => 0,
        "av01" => 1,
        _ => 2,
    };

    private static int Priority(string family) => family == "av01" ? 2 : 1;
}
