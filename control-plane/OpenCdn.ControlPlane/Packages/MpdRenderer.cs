using System.Globalization;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.ControlPlane.Packages;

/// <summary>
/// Renders a package as an <c>isoff-on-demand:2011</c> MPD: one AdaptationSet per media type (video: per codec, see
/// <see cref="VideoSets"/>), each Representation
/// one file addressed by SegmentBase (indexRange = its sidx, Initialization = ftyp+moov), and one MPD-level
/// <c>BaseURL</c> per server, with DVB priority and weight, so players fail over between servers. Audio has one
/// AdaptationSet per track of the master and subtitles one per language (see <see cref="TrackSets"/>); trick-play
/// thumbnails have their own (<see cref="ThumbnailAdaptationSet"/>).
/// </summary>
public static class MpdRenderer
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Dvb = "urn:dvb:dash:dash-extensions:2014-1";

    /// <summary>
    /// The MPD for <paramref name="servers"/>; with <paramref name="steeringUrl"/>, a <c>ContentSteering</c> element
    /// too, which names the first server as the default pathway until the player has asked the steering server.
    /// </summary>
    public static string Render(PackageManifest package, IReadOnlyList<MpdServer> servers, Uri? steeringUrl = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(servers);
        var duration = Iso8601(package.DurationSeconds);
        var mpd = new XElement(Dash + "MPD",
            new XAttribute(XNamespace.Xmlns + "dvb", Dvb.NamespaceName),
            new XAttribute("profiles", "urn:mpeg:dash:profile:isoff-on-demand:2011"),
            new XAttribute("type", "static"),
            new XAttribute("mediaPresentationDuration", duration),
            new XAttribute("minBufferTime", "PT2S"),
            servers.Select(s => new XElement(Dash + "BaseURL",
                new XAttribute("serviceLocation", s.ServiceLocation),
                new XAttribute(Dvb + "priority", s.Priority),
                new XAttribute(Dvb + "weight", s.Weight),
                s.BaseUrl)),
            steeringUrl is null || servers.Count == 0
                ? null
                : new XElement(Dash + "ContentSteering",
                    new XAttribute("defaultServiceLocation", servers[0].ServiceLocation),
                    new XAttribute("queryBeforeStart", "false"),
                    steeringUrl.AbsoluteUri),
            new XElement(Dash + "Period",
                new XAttribute("id", "0"),
                new XAttribute("start", "PT0S"),
                new XAttribute("duration", duration),
                VideoSets.Of(package).Select(set => AdaptationSet(set.Representations, set.Id, set.SelectionPriority)),
                TrackSets.Of(package).Select((set, i) => AdaptationSet(set, i + 1)),
                ThumbnailAdaptationSet.Render(package, Dash)));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), mpd).Declaration + "\n" + mpd;
    }

    /// <summary>A set of representations of one kind (and, for audio and text, one track; for video, one codec), best first.</summary>
    private static XElement AdaptationSet(IReadOnlyList<Representation> representations, int id, int? selectionPriority = null)
    {
        var first = representations[0];
        var kind = first.Kind;
        if (kind == MediaKind.Text)
        {
            return TrackSets.TextSet(Dash, id, representations);
        }
        return new XElement(Dash + "AdaptationSet",
            new XAttribute("id", id),
            new XAttribute("contentType", kind == MediaKind.Video ? "video" : "audio"),
            new XAttribute("mimeType", first.MimeType),
            new XAttribute("segmentAlignment", "true"),
            new XAttribute("subsegmentAlignment", "true"),
            new XAttribute("subsegmentStartsWithSAP", "1"),
            selectionPriority is { } priority ? new XAttribute("selectionPriority", priority) : null,
            kind == MediaKind.Video ? new XAttribute("maxWidth", representations.Max(r => r.Width ?? 0)) : null,
            kind == MediaKind.Video ? new XAttribute("maxHeight", representations.Max(r => r.Height ?? 0)) : null,
            first.Language is { } language ? new XAttribute("lang", language) : null,
            kind == MediaKind.Audio ? TrackSets.Describe(Dash, first) : null,
            representations.Select(Representation));
    }

    internal static XElement Representation(Representation r) => new(Dash + "Representation",
        new XAttribute("id", r.Id),
        r.Codecs.Length > 0 ? new XAttribute("codecs", r.Codecs) : null,
        new XAttribute("bandwidth", r.Bandwidth),
        r.Width is { } width ? new XAttribute("width", width) : null,
        r.Height is { } height ? new XAttribute("height", height) : null,
        r.FrameRate is { } rate ? new XAttribute("frameRate", rate) : null,
        r.Width is not null ? new XAttribute("sar", "1:1") : null,
        r.SampleRate is { } sampleRate ? new XAttribute("audioSamplingRate", sampleRate) : null,
        r.Channels is { } channels
            ? new XElement(Dash + "AudioChannelConfiguration",
                new XAttribute("schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011"),
                new XAttribute("value", channels))
            : null,
        new XElement(Dash + "BaseURL", r.File),
        r is { IndexRange: { } index, InitRange: { } init }
            ? new XElement(Dash + "SegmentBase",
                new XAttribute("indexRange", index.ToString()),
                new XAttribute("indexRangeExact", "true"),
                new XAttribute("timescale", r.Timescale),
                r.PresentationTimeOffset != 0 ? new XAttribute("presentationTimeOffset", r.PresentationTimeOffset) : null,
                new XElement(Dash + "Initialization", new XAttribute("range", init.ToString())))
            : null);

    private static string Iso8601(double seconds) => string.Create(CultureInfo.InvariantCulture, $"PT{seconds:0.###}S");
}
