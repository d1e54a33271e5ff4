using System.Globalization;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>
/// Studio, broadcast and phone masters made with FFmpeg, uploaded through the API of a real platform, and the ladder
/// measured as a viewer would see it: shape on screen, combing, frame rate, orientation, colour.
/// </summary>
public sealed class PictureCorpusTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>, IDisposable
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(4);
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly string[] Encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
    private static readonly string[] EncodeInterlaced = [.. Encode, "-flags", "+ildct+ilme", "-x264-params", "tff=1"];
    private readonly TempFolder _masters = new();

    [Theory]
    [InlineData("pal", 720, 576, "25", "64/45", new[] { 480, 360, 240 })] // 576i DVB / DVD 16:9
    [InlineData("ntsc", 720, 480, "30000/1001", "32/27", new[] { 480, 360, 240 })] // 480i DVD 16:9
    public async Task AnamorphicMaster_EveryRungIsSixteenByNineInSquarePixels(
        string name, int width, int height, string rate, string sar, int[] rungs)
    {
        var master = await GenerateAsync($"{name}.mp4", ["-f", "lavfi", "-i", $"testsrc=size={width}x{height}:rate={rate}:duration=3",
            "-vf", $"setsar={sar}", .. Encode]);

        var package = await IngestAsync(name, master);

        var videos = Videos(package);
        Assert.Equal(rungs, videos.Select(ShortSide));
        foreach (var video in videos)
        {
            var stream = await PictureMeasures.StreamAsync(FileOf(package, video));
            Assert.Equal("1:1", stream.SampleAspect);
            Assert.Equal((video.Width, video.Height), (stream.Width, stream.Height));
            Assert.InRange((double)stream.Width / stream.Height / (16.0 / 9), 0.99, 1.01);
        }
        var poster = await PictureMeasures.StreamAsync(
            platform.Data.Combine("origin", "objects", "titles", package.TitleId, $"v{package.Version}", "poster.jpg"));
        Assert.Equal((640, 360), (poster.Width, poster.Height));
    }

    [Fact]
    public async Task Interlaced1080i25WithMotion_IsDeinterlacedToOneFramePerField()
    {
        // 50 progressive pictures a second woven into 25 interlaced frames: each field is its own moment.
        var master = await GenerateAsync("1080i25.mp4", ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=50:duration=3",
            "-vf", "tinterlace=interleave_top,setfield=tff", .. EncodeInterlaced]);
        Assert.Contains("tt", await Ffmpeg.ProbeAsync("-show_entries", "stream=field_order", "-of", "csv=p=0", master), StringComparison.Ordinal);

        var package = await IngestAsync("1080i25", master);

        var top = Videos(package)[0];
        Assert.Equal(("video_1080p.mp4", 1920, 1080), (top.File, top.Width, top.Height));
        Assert.All(Videos(package), v => Assert.Equal("50", v.FrameRate));
        Assert.Equal("50/1", (await PictureMeasures.StreamAsync(FileOf(package, top))).FrameRate);
        Assert.InRange(await PictureMeasures.InterlacedShareAsync(FileOf(package, top)), 0, 0.05);
    }

    [Fact]
    public async Task Telecined2997Film_IsInverseTelecinedTo23976()
    {
        // Film at 23.976 spread over 29.97 interlaced frames by 3:2 pulldown, as on an NTSC DVD.
        var master = await GenerateAsync("telecine.mp4", ["-f", "lavfi", "-i", "mandelbrot=size=720x480:rate=24000/1001", "-t", "4",
            "-vf", "telecine=pattern=23", .. EncodeInterlaced]);
        Assert.Equal("30000/1001", (await PictureMeasures.StreamAsync(master)).FrameRate);

        var package = await IngestAsync("telecine", master);

        var top = Videos(package)[0];
        Assert.Equal((720, 480), (top.Width, top.Height));
        Assert.All(Videos(package), v => Assert.Equal("24000/1001", v.FrameRate));
        Assert.Equal("24000/1001", (await PictureMeasures.StreamAsync(FileOf(package, top))).FrameRate);
        Assert.InRange(await PictureMeasures.InterlacedShareAsync(FileOf(package, top)), 0, 0.05);
    }

    [Fact]
    public async Task Portrait1080x1920_TopRungKeepsItsWidthAndTheMpdSaysSo()
    {
        var master = await GenerateAsync("portrait.mp4", ["-f", "lavfi", "-i", "testsrc=size=1080x1920:rate=30:duration=2", .. Encode]);

        var package = await IngestAsync("portrait", master);

        var videos = Videos(package);
        Assert.Equal([1080, 720, 480, 360, 240], videos.Select(ShortSide));
        Assert.Equal(("video_1080p.mp4", 1080, 1920), (videos[0].File, videos[0].Width, videos[0].Height));
        var stream = await PictureMeasures.StreamAsync(FileOf(package, videos[0]));
        Assert.Equal((1080, 1920), (stream.Width, stream.Height));
        using var admin = await platform.AdminAsync();
        var set = XDocument.Parse(await admin.GetStringAsync($"/api/v1/titles/{package.TitleId}/manifest.mpd"))
            .Descendants(Dash + "AdaptationSet").Single(a => a.Attribute("contentType")?.Value == "video");
        Assert.Equal(("1080", "1920"), (set.Attribute("maxWidth")!.Value, set.Attribute("maxHeight")!.Value));
        var representation = set.Elements(Dash + "Representation").Single(r => r.Attribute("id")!.Value == "video_1080p");
        Assert.Equal(("1080", "1920"), (representation.Attribute("width")!.Value, representation.Attribute("height")!.Value));
    }

    [Fact]
    public async Task RotatedPhoneClip_IsStoredUpright()
    {
        // A phone stores landscape pixels and a display matrix saying "turn 90°".
        var stored = await GenerateAsync("stored.mp4", ["-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=2", .. Encode]);
        var master = await GenerateAsync("phone.mp4", ["-i", stored, "-c", "copy", "-metadata:s:v:0", "rotate=90"]);
        Assert.True((await PictureMeasures.StreamAsync(master)).Rotated);

        var package = await IngestAsync("phone", master);

        var videos = Videos(package);
        Assert.Equal([360, 240], videos.Select(ShortSide));
        var top = await PictureMeasures.StreamAsync(FileOf(package, videos[0]));
        Assert.Equal((360, 640, false), (top.Width, top.Height, top.Rotated)); // upright pixels, nothing left for players to turn
    }

    [Fact]
    public async Task LetterboxedMaster_LosesItsBlackBars()
    {
        // A 2.39:1 picture inside a 16:9 frame: 92 black rows above and below.
        var master = await GenerateAsync("scope.mp4", ["-f", "lavfi", "-i", "testsrc=size=1280x536:rate=25:duration=3",
            "-vf", "pad=1280:720:0:92", .. Encode]);

        var package = await IngestAsync("scope", master);

        var top = Videos(package)[0];
        Assert.Equal(("video_720p.mp4", 1280, 536), (top.File, top.Width, top.Height));
        Assert.All(Videos(package), v => Assert.InRange((double)v.Width!.Value / v.Height!.Value / (1280.0 / 536), 0.99, 1.01));
        // No black row left at the top: the first rows are the picture's.
        Assert.InRange(await PictureMeasures.MeanLumaAsync(FileOf(package, top), "iw:4:0:0"), 40, 255);
    }

    [Theory]
    [InlineData("smpte2084")] // HDR10
    [InlineData("arib-std-b67")] // HLG
    public async Task HdrMaster_IsToneMappedToSdrBt709(string transfer)
    {
        // Left: a moving test card in BT.2020 colours. Right, top: a 100-nit and a 1,000-nit patch (PQ 583 and 723 of
        // 1023); bottom: a grey ramp over the whole signal range.
        var master = await GenerateAsync($"{transfer}.mp4", ["-f", "lavfi", "-i", "testsrc=size=640x720:rate=25:duration=2",
            "-f", "lavfi", "-i", "nullsrc=size=640x720:rate=25:duration=2", "-filter_complex",
            "[0]format=yuv420p10le[a];[1]format=yuv420p10le,geq=lum='if(lt(Y,H/2),if(lt(X,W/2),583,723),64+X/W*876)':cb=512:cr=512[b];[a][b]hstack",
            "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high10", "-pix_fmt", "yuv420p10le",
            "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc", "-color_range", "tv"]);

        var package = await IngestAsync(transfer, master);

        foreach (var video in Videos(package))
        {
            var stream = await PictureMeasures.StreamAsync(FileOf(package, video));
            Assert.Equal(("yuv420p", "bt709", "bt709", "bt709"), (stream.PixelFormat, stream.Primaries, stream.Transfer, stream.Matrix));
        }
        var top = FileOf(package, Videos(package)[0]);
        // What the old ladder did: the HDR code values cut to 8 bits, as if they were SDR.
        if (transfer == "smpte2084")
        {
            // A 1,000-nit highlight becomes near white; read as SDR it is a dull grey (~181).
            const string highlight = "iw/4:ih/2:iw*3/4:0";
            var naive = await PictureMeasures.MeanLumaAsync(master, highlight);
            var mapped = await PictureMeasures.MeanLumaAsync(top, highlight);
            Assert.InRange(naive, 170, 190);
            Assert.InRange(mapped, 220, 240);
        }
        else
        {
            // HLG greys read fine as SDR (by design); its BT.2020 colours do not: their BT.709 luma is far from the raw one.
            const string card = "iw/2:ih:0:0";
            var naive = await PictureMeasures.MeanLumaAsync(master, card);
            var mapped = await PictureMeasures.MeanLumaAsync(top, card);
            Assert.True(Math.Abs(mapped - naive) >= 10, $"tone-mapped luma {mapped:0.0} against {naive:0.0} read as SDR");
        }
    }

    public void Dispose() => _masters.Dispose();

    private static List<Representation> Videos(PackageManifest package) =>
        package.Representations.Where(r => r.Kind == MediaKind.Video).ToList();

    private static int ShortSide(Representation video) => int.Parse(video.Id["video_".Length..^1], CultureInfo.InvariantCulture);

    private string FileOf(PackageManifest package, Representation r) => PackageChecks.FileOf(platform, package, r);

    private async Task<string> GenerateAsync(string name, string[] args)
    {
        var path = _masters.Combine(name);
        await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, path]);
        return path;
    }

    /// <summary>Uploads the master through the API, waits for the title to be ready, and reads its package.</summary>
    private async Task<PackageManifest> IngestAsync(string name, string master)
    {
        using var admin = await platform.AdminAsync();
        var id = await admin.UploadAsync(name, master);
        var title = await admin.WaitForOutcomeAsync(id, Transcode);
        Assert.True(title.Status() == "ready", title.GetRawText());
        return PackageChecks.Read(platform, id, 1);
    }
}
