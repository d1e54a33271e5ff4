using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;

namespace OpenCdn.ControlPlane.Tests;

/// <summary>An H.264 and an AV1 ladder in one package: two video AdaptationSets, AV1 preferred, H.264 kept for the rest.</summary>
public sealed class MpdVideoCodecTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static Representation Video(string id, string codecs, int bandwidth, int width, int height) =>
        new(id, MediaKind.Video, id + ".mp4", "video/mp4", codecs, bandwidth, 500_000, "aa",
            new ByteSpan(0, 801), new ByteSpan(802, 877), 12800, 0, Width: width, Height: height, FrameRate: "25");

    private static readonly PackageManifest Package = new("t1", 1, 12,
    [
        Video("video_480p", "avc1.64001e", 1_200_000, 854, 480),
        Video("video_240p", "avc1.640015", 300_000, 426, 240),
        Video("video_480p_av1", "av01.0.04M.08", 720_000, 854, 480),
        Video("video_240p_av1", "av01.0.01M.08", 180_000, 426, 240),
        new Representation("audio_eng", MediaKind.Audio, "audio_eng.mp4", "audio/mp4", "mp4a.40.2", 131_000, 200_000, "cc",
            new ByteSpan(0, 732), new ByteSpan(733, 808), 48000, 0, SampleRate: 48000, Channels: 2, Language: "eng"),
    ]);

    [Fact]
    public void TwoCodecs_GetTwoVideoSets_H264First_AV1Preferred_EachWithItsOwnRepresentations()
    {
        var sets = Render(Package).Where(s => s.Attribute("contentType")!.Value == "video").ToList();

        Assert.Equal(2, sets.Count);
        Assert.Equal(["video_480p", "video_240p"], Ids(sets[0]));
        Assert.Equal(["video_480p_av1", "video_240p_av1"], Ids(sets[1]));
        Assert.All(sets[0].Elements(Dash + "Representation"),
            r => Assert.StartsWith("avc1.", r.Attribute("codecs")!.Value, StringComparison.Ordinal));
        Assert.Equal("av01.0.04M.08", sets[1].Elements(Dash + "Representation").First().Attribute("codecs")!.Value);
        Assert.Equal(("1", "2"), (sets[0].Attribute("selectionPriority")!.Value, sets[1].Attribute("selectionPriority")!.Value));
        Assert.All(sets, s => Assert.Equal("true", s.Attribute("segmentAlignment")!.Value));
        Assert.Equal(("854", "480"), (sets[1].Attribute("maxWidth")!.Value, sets[1].Attribute("maxHeight")!.Value));
    }

    [Fact]
    public void SetIds_AreUniqueAcrossVideoAudioAndThumbnails()
    {
        var ids = Render(Package).Select(s => s.Attribute("id")!.Value).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("0", ids[0]);
    }

    [Fact]
    public void OneCodec_KeepsOneVideoSetWithoutSelectionPriority()
    {
        var h264 = Package with { Representations = [.. Package.Representations.Where(r => !r.Codecs.StartsWith("av01", StringComparison.Ordinal))] };

        var video = Assert.Single(Render(h264), s => s.Attribute("contentType")!.Value == "video");

        Assert.Null(video.Attribute("selectionPriority"));
        Assert.Equal("0", video.Attribute("id")!.Value);
    }

    private static List<XElement> Render(PackageManifest package) =>
        XDocument.Parse(MpdRenderer.Render(package, [new MpdServer("origin", "http://o/", 1, 1)])).Root!
            .Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();

    private static IEnumerable<string> Ids(XElement set) => set.Elements(Dash + "Representation").Select(r => r.Attribute("id")!.Value);
}
