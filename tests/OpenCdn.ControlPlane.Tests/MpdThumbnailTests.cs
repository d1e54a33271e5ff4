using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;

namespace OpenCdn.ControlPlane.Tests;

/// <summary>The DASH-IF thumbnail AdaptationSet as dash.js (provideThumbnail) and Shaka (getThumbnails) read it.</summary>
public sealed class MpdThumbnailTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static readonly Representation Video = new("video_240p", MediaKind.Video, "video_240p.mp4", "video/mp4", "avc1.640015",
        300_000, 500_000, "aa", new ByteSpan(0, 801), new ByteSpan(802, 877), 12800, 0, Width: 426, Height: 240, FrameRate: "25");

    private static readonly Representation Thumbnails = new("thumbnails", MediaKind.Image, "thumbs_$Number$.jpg", "image/jpeg", "jpeg",
        9_000, 70_000, "", null, null, 1, 0, Width: 900, Height: 1600,
        Parts: [new PackageFile("thumbs_1.jpg", 50_000, "aa"), new PackageFile("thumbs_2.jpg", 20_000, "bb")],
        Tiles: new ThumbnailTiles(10, 10, 4));

    [Fact]
    public void ThumbnailTiles_BecomeATemplatedImageSetWithTheTileGrid_ResolvedAgainstTheServersBaseUrls()
    {
        var package = new PackageManifest("t1", 1, 612.5, [Video, Thumbnails]);

        var mpd = XDocument.Parse(MpdRenderer.Render(package, [new MpdServer("edge-1", "https://e/c/tok/t1/v1/", 1, 1)])).Root!;

        var set = Assert.Single(mpd.Descendants(Dash + "AdaptationSet"), s => s.Attribute("contentType")?.Value == "image");
        Assert.Equal("image/jpeg", set.Attribute("mimeType")!.Value);
        var template = set.Element(Dash + "SegmentTemplate")!;
        Assert.Equal(("thumbs_$Number$.jpg", "400", "1", "1"), (template.Attribute("media")!.Value, template.Attribute("duration")!.Value,
            template.Attribute("startNumber")!.Value, template.Attribute("timescale")!.Value));
        var representation = Assert.Single(set.Elements(Dash + "Representation"));
        Assert.Equal(("thumbnails", "9000", "900", "1600"), (representation.Attribute("id")!.Value, representation.Attribute("bandwidth")!.Value,
            representation.Attribute("width")!.Value, representation.Attribute("height")!.Value));
        var property = Assert.Single(representation.Elements(Dash + "EssentialProperty"));
        Assert.Equal(("http://dashif.org/thumbnail_tile", "10x10"), (property.Attribute("schemeIdUri")!.Value, property.Attribute("value")!.Value));
        // No BaseURL or SegmentBase of its own: the tiles resolve against the MPD's BaseURLs, token and all.
        Assert.Empty(set.Descendants(Dash + "BaseURL"));
        Assert.Empty(set.Descendants(Dash + "SegmentBase"));
    }

    [Fact]
    public void PackageFiles_ListEveryTile_NotTheTemplate()
    {
        var package = new PackageManifest("t1", 1, 612.5, [Video, Thumbnails]);

        Assert.Equal(["video_240p.mp4", "thumbs_1.jpg", "thumbs_2.jpg"], package.Files().Select(f => f.Name));
    }

    [Fact]
    public void PackageWithoutThumbnails_HasNoImageSet()
    {
        var mpd = XDocument.Parse(MpdRenderer.Render(new PackageManifest("t1", 1, 12, [Video]), [new MpdServer("origin", "http://o/", 1, 1)]));

        Assert.DoesNotContain(mpd.Descendants(Dash + "AdaptationSet"), s => s.Attribute("contentType")?.Value == "image");
    }
}
