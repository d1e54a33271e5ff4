using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;

namespace OpenCdn.ControlPlane.Tests;

public sealed class MpdRendererTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Dvb = "urn:dvb:dash:dash-extensions:2014-1";

    private static readonly PackageManifest Package = new("t1", 3, 12.04,
    [
        new Representation("video_240p", MediaKind.Video, "video_240p.mp4", "video/mp4", "avc1.640015", 300_000, 500_000, "aa",
            new ByteSpan(0, 801), new ByteSpan(802, 877), 12800, 1024, Width: 426, Height: 240, FrameRate: "25"),
        new Representation("video_720p", MediaKind.Video, "video_720p.mp4", "video/mp4", "avc1.64001f", 3_000_000, 4_500_000, "bb",
            new ByteSpan(0, 801), new ByteSpan(802, 877), 12800, 1024, Width: 1280, Height: 720, FrameRate: "25"),
        new Representation("audio_eng", MediaKind.Audio, "audio_eng.mp4", "audio/mp4", "mp4a.40.2", 131_000, 200_000, "cc",
            new ByteSpan(0, 732), new ByteSpan(733, 808), 48000, 0, SampleRate: 48000, Channels: 2, Language: "eng"),
    ]);

    [Fact]
    public void Mpd_IsOnDemandProfileWithOneAdaptationSetPerMediaType()
    {
        var mpd = XDocument.Parse(MpdRenderer.Render(Package, [new MpdServer("origin", "http://o/", 1, 1)])).Root!;

        Assert.Equal(Dash + "MPD", mpd.Name);
        Assert.Equal("urn:mpeg:dash:profile:isoff-on-demand:2011", mpd.Attribute("profiles")!.Value);
        Assert.Equal("static", mpd.Attribute("type")!.Value);
        Assert.Equal("PT12.04S", mpd.Attribute("mediaPresentationDuration")!.Value);
        var sets = mpd.Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();
        Assert.Equal(["video", "audio"], sets.Select(s => s.Attribute("contentType")!.Value));
        Assert.Equal("eng", sets[1].Attribute("lang")!.Value);
    }

    [Fact]
    public void Representations_CarryCodecsBandwidthAndByteRanges_HighestFirst()
    {
        var mpd = XDocument.Parse(MpdRenderer.Render(Package, [new MpdServer("origin", "http://o/", 1, 1)])).Root!;
        var video = mpd.Descendants(Dash + "AdaptationSet").First().Elements(Dash + "Representation").ToList();

        Assert.Equal(["video_720p", "video_240p"], video.Select(r => r.Attribute("id")!.Value));
        var top = video[0];
        Assert.Equal("avc1.64001f", top.Attribute("codecs")!.Value);
        Assert.Equal("3000000", top.Attribute("bandwidth")!.Value);
        Assert.Equal("video_720p.mp4", top.Element(Dash + "BaseURL")!.Value);
        var segmentBase = top.Element(Dash + "SegmentBase")!;
        Assert.Equal("802-877", segmentBase.Attribute("indexRange")!.Value);
        Assert.Equal("1024", segmentBase.Attribute("presentationTimeOffset")!.Value);
        Assert.Equal("0-801", segmentBase.Element(Dash + "Initialization")!.Attribute("range")!.Value);
    }

    [Fact]
    public void Servers_BecomeMpdLevelBaseUrlsWithDvbPriorityAndWeight_InTheOrderGiven()
    {
        var servers = new[]
        {
            new MpdServer("edge-a", "http://a/c/tok/t1/v3/", 1, 70), new MpdServer("edge-b", "http://b/c/tok/t1/v3/", 2, 30),
            new MpdServer("origin", "http://o/o/tok/t1/v3/", 3, 1),
        };

        var baseUrls = XDocument.Parse(MpdRenderer.Render(Package, servers)).Root!.Elements(Dash + "BaseURL").ToList();

        Assert.Equal(["edge-a", "edge-b", "origin"], baseUrls.Select(b => b.Attribute("serviceLocation")!.Value));
        Assert.Equal(["1", "2", "3"], baseUrls.Select(b => b.Attribute(Dvb + "priority")!.Value));
        Assert.Equal(["70", "30", "1"], baseUrls.Select(b => b.Attribute(Dvb + "weight")!.Value));
        Assert.Equal("http://a/c/tok/t1/v3/", baseUrls[0].Value);
    }
}
