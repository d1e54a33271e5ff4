using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>
/// Trick play, through the API of a real platform: the ladder's ffmpeg writes thumbnail tiles, the package lists them
/// as one image representation with its parts, the MPD announces them as a DASH-IF thumbnail set, and origin serves them.
/// </summary>
public sealed class ThumbnailTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>, IDisposable
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task Master41s_GetsOneTileOf11Thumbnails_ListedWithItsPartsAndAnnouncedInTheMpd()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("talk.mp4"), 320, 180, "25", 41, audioChannels: 2);
        using var admin = await platform.AdminAsync();

        var id = await admin.UploadAsync("Thumbnailed talk", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, Transcode)).Status());

        var package = PackageChecks.Read(platform, id, 1);
        var image = Assert.Single(package.Representations, r => r.Kind == MediaKind.Image);
        Assert.Equal(("image/jpeg", new ThumbnailTiles(10, 10, 4), 1600, 900), (image.MimeType, image.Tiles, image.Width, image.Height));
        var part = Assert.Single(image.Parts!);
        Assert.Equal("thumbs_1.jpg", part.Name);
        var tile = TileFile(package, part.Name);
        Assert.Equal(part.Size, new FileInfo(tile).Length);
        Assert.Equal(part.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(tile))));
        Assert.Equal(image.Size, image.Parts!.Sum(p => p.Size));
        Assert.Contains(package.Files(), f => f == part);
        Assert.Equal("1600,900", (await Ffmpeg.ProbeAsync("-show_entries", "stream=width,height", "-of", "csv=p=0", tile)).Trim());
        // One thumbnail every 4 s from 0 covers the 41 s: 11 pictures, the rest of the 10x10 grid black.
        Assert.Equal(Enumerable.Range(0, 11), await PictureCellsAsync(tile, image.Tiles!));

        var mpd = XDocument.Parse(await admin.GetStringAsync($"/api/v1/titles/{id}/manifest.mpd")).Root!;
        var set = Assert.Single(mpd.Descendants(Dash + "AdaptationSet"), s => s.Attribute("contentType")?.Value == "image");
        Assert.Equal("400", set.Element(Dash + "SegmentTemplate")!.Attribute("duration")!.Value);
        Assert.Equal("10x10", set.Descendants(Dash + "EssentialProperty").Single().Attribute("value")!.Value);
        var url = new Uri(new Uri(mpd.Element(Dash + "BaseURL")!.Value), "thumbs_1.jpg");
        using var served = await platform.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(part.Size, (await served.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("pal-anamorphic", 720, 576, "64/45", 160, 90)]
    [InlineData("portrait", 180, 320, "1/1", 90, 160)]
    public async Task Thumbnails_KeepTheDisplayAspect_WithSquarePixels(
        string name, int width, int height, string sar, int thumbWidth, int thumbHeight)
    {
        var master = _masters.Combine(name + ".mp4");
        await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            $"testsrc2=size={width}x{height}:rate=25:duration=6", "-vf", $"setsar={sar}", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", master]);
        using var admin = await platform.AdminAsync();

        var id = await admin.UploadAsync(name, master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, Transcode)).Status());

        var package = PackageChecks.Read(platform, id, 1);
        var image = Assert.Single(package.Representations, r => r.Kind == MediaKind.Image);
        Assert.Equal((thumbWidth * 10, thumbHeight * 10), (image.Width, image.Height));
        var tile = TileFile(package, Assert.Single(image.Parts!).Name);
        Assert.Equal($"{thumbWidth * 10},{thumbHeight * 10},1:1",
            (await Ffmpeg.ProbeAsync("-show_entries", "stream=width,height,sample_aspect_ratio", "-of", "csv=p=0", tile)).Trim());
        Assert.Equal([0, 1], await PictureCellsAsync(tile, image.Tiles!));
    }

    public void Dispose() => _masters.Dispose();

    private string TileFile(PackageManifest package, string name) =>
        platform.Data.Combine("origin", "objects", "titles", package.TitleId, $"v{package.Version}", name);

    /// <summary>The cells of a tile that hold a picture (the test pattern is bright; unused cells are black).</summary>
    private static async Task<IReadOnlyList<int>> PictureCellsAsync(string tile, ThumbnailTiles tiles)
    {
        var stats = await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", tile, "-vf",
            $"untile={tiles.Columns}x{tiles.Rows},signalstats,metadata=print:key=lavfi.signalstats.YMAX:file=-", "-f", "null", "-"]);
        return stats.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("lavfi.signalstats.YMAX=", StringComparison.Ordinal))
            .Select((line, cell) => (Cell: cell, Max: int.Parse(line["lavfi.signalstats.YMAX=".Length..], CultureInfo.InvariantCulture)))
            .Where(c => c.Max > 64)
            .Select(c => c.Cell)
            .ToList();
    }
}
