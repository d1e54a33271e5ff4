using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;

namespace OpenCdn.ControlPlane.Tests;

public sealed class TrackSetsTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static readonly PackageManifest Package = new("t1", 1, 6,
    [
        new Representation("video_240p", MediaKind.Video, "video_240p.mp4", "video/mp4", "avc1.640015", 300_000, 500_000, "aa",
            new ByteSpan(0, 801), new ByteSpan(802, 877), 12800, 0, Width: 320, Height: 240, FrameRate: "25"),
        Audio("audio_eng", 2, "eng", "main", "English"),
        Audio("audio_fra", 2, "fra", "main", "French"),
        Audio("audio_fra_surround", 6, "fra", "main", "French"),
        Audio("audio_eng_commentary", 2, "eng", "commentary", "English (commentary)"),
        new Representation("subtitles_eng", MediaKind.Text, "subtitles_eng.vtt", "text/vtt", "", 1000, 80, "dd", null, null, 1000, 0,
            Language: "eng", Role: "subtitle"),
    ]);

    [Fact]
    public void EachAudioTrack_IsItsOwnSet_WithLangLabelRole_AndItsStereoAnd51Encodes()
    {
        var sets = Sets();

        var audio = sets.Where(s => s.Attribute("contentType")!.Value == "audio").ToList();
        Assert.Equal(["eng main English 2", "fra main French 6,2", "eng commentary English (commentary) 2"], audio.Select(s =>
            $"{s.Attribute("lang")!.Value} {s.Element(Dash + "Role")!.Attribute("value")!.Value} {s.Element(Dash + "Label")!.Value} "
            + string.Join(',', s.Descendants(Dash + "AudioChannelConfiguration").Select(c => c.Attribute("value")!.Value))));
        Assert.All(audio, s => Assert.Equal("urn:mpeg:dash:role:2011", s.Element(Dash + "Role")!.Attribute("schemeIdUri")!.Value));
        Assert.Equal(["1", "2", "3", "4"], sets.Skip(1).Select(s => s.Attribute("id")!.Value));
    }

    [Fact]
    public void Subtitles_AreATextSet_WithTheVttAsBaseUrl_AndNoSegmentBaseOrCodecs()
    {
        var text = Assert.Single(Sets(), s => s.Attribute("contentType")!.Value == "text");

        Assert.Equal("text/vtt", text.Attribute("mimeType")!.Value);
        Assert.Equal("eng", text.Attribute("lang")!.Value);
        Assert.Equal("subtitle", text.Element(Dash + "Role")!.Attribute("value")!.Value);
        var representation = Assert.Single(text.Elements(Dash + "Representation"));
        Assert.Equal("subtitles_eng.vtt", representation.Element(Dash + "BaseURL")!.Value);
        Assert.Null(representation.Element(Dash + "SegmentBase"));
        Assert.Null(representation.Attribute("codecs"));
    }

    private static List<XElement> Sets() =>
        XDocument.Parse(MpdRenderer.Render(Package, [new MpdServer("origin", "http://o/", 1, 1)])).Root!
            .Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();

    private static Representation Audio(string id, int channels, string language, string role, string label) =>
        new(id, MediaKind.Audio, id + ".mp4", "audio/mp4", "mp4a.40.2", channels * 64_000, 100_000, "cc",
            new ByteSpan(0, 700), new ByteSpan(701, 780), 48000, 0, SampleRate: 48000, Channels: channels, Language: language,
            Role: role, Label: label);
}
