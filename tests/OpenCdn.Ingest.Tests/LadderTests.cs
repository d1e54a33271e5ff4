using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Packaging;
using OpenCdn.Ingest.Probe;

namespace OpenCdn.Ingest.Tests;

public sealed class LadderTests
{
    [Theory]
    [InlineData(3840, 2160, new[] { 1080, 720, 480, 360, 240 })]
    [InlineData(1920, 1080, new[] { 1080, 720, 480, 360, 240 })]
    [InlineData(1918, 1079, new[] { 720, 480, 360, 240 })]
    [InlineData(1280, 720, new[] { 720, 480, 360, 240 })]
    [InlineData(640, 360, new[] { 360, 240 })]
    [InlineData(1080, 1920, new[] { 1080, 720, 480, 360, 240 })]
    [InlineData(360, 640, new[] { 360, 240 })]
    [InlineData(1024, 576, new[] { 480, 360, 240 })]
    public void Rungs_NeverUpscaleTheShortSide(int width, int height, int[] expected)
    {
        Assert.Equal(expected, Rung.For(width, height).Select(r => r.ShortSide));
    }

    [Theory]
    [InlineData(1080, 1920, 1080, 1920, "video_1080p.mp4")] // portrait keeps its width
    [InlineData(1920, 1080, 1920, 1080, "video_1080p.mp4")]
    [InlineData(1920, 804, 1920, 804, "video_1080p.mp4")] // 2.39:1 scope fills the 16:9 frame's width
    [InlineData(1024, 576, 854, 480, "video_480p.mp4")] // anamorphic PAL, 720x576 at SAR 64:45
    [InlineData(1440, 1080, 1440, 1080, "video_1080p.mp4")] // 4:3 fills the frame's height
    [InlineData(320, 180, 320, 180, "video_180p.mp4")] // smaller than every rung: its own size
    public void TopRung_KeepsTheShapeInSquarePixels(int width, int height, int topWidth, int topHeight, string file)
    {
        var top = Rung.For(width, height)[0];

        Assert.Equal((topWidth, topHeight, file), (top.Width, top.Height, top.FileName));
    }

    [Theory]
    [InlineData(1024, 576)]
    [InlineData(1080, 1920)]
    [InlineData(1920, 804)]
    [InlineData(853.33, 480)] // NTSC 720x480 at SAR 32:27
    [InlineData(640, 480)]
    public void EveryRung_IsEvenAndWithinOnePercentOfTheDisplayAspect(double width, double height)
    {
        Assert.All(Rung.For(width, height), r =>
        {
            Assert.Equal((0, 0), (r.Width % 2, r.Height % 2));
            Assert.InRange((double)r.Width / r.Height / (width / height), 0.99, 1.01);
        });
    }

    [Fact]
    public void Arguments_DecodeOnceAndForceAlignedClosedKeyframes()
    {
        var args = LadderArguments.Build("in.mov", "/out", Plan(1280, 720), "veryfast");

        Assert.Single(args, a => a == "-i");
        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];
        Assert.StartsWith("[0:v:0]split=5[s0][s1][s2][s3][sthumbs];[s0]scale=1280:720:flags=bicubic,setsar=1[v0];"
            + "[s1]scale=854:480:flags=bicubic,setsar=1[v1];[s2]scale=640:360:flags=bicubic,setsar=1[v2];"
            + "[s3]scale=426:240:flags=bicubic,setsar=1[v3];[sthumbs]setpts=PTS-STARTPTS,select=", graph, StringComparison.Ordinal);
        Assert.EndsWith("tile=10x10[thumbs]", graph, StringComparison.Ordinal);
        Assert.Equal(4, args.Count(a => a == "expr:gte(t,n_forced*4)"));
        Assert.Equal(4, args.Count(a => a == "scenecut=0:open_gop=0"));
        Assert.Equal(["/out/video_720p.mp4", "/out/video_480p.mp4", "/out/video_360p.mp4", "/out/video_240p.mp4", "/out/thumbs_%d.jpg"],
            args.Where(a => a.StartsWith("/out/", StringComparison.Ordinal)));
        Assert.Equal(4, args.Count(a => a == "+dash+global_sidx+skip_trailer"));
        Assert.DoesNotContain("-color_primaries:v", args); // SDR keeps what it has
    }

    [Theory]
    [InlineData(25.0, "25")]
    [InlineData(29.97002997, "30000/1001")]
    [InlineData(23.976023976, "24000/1001")]
    [InlineData(59.94005994, "60000/1001")]
    [InlineData(12.5, null)]
    public void FrameRate_IsWrittenAsTheMpdExpects(double fps, string? expected)
    {
        Assert.Equal(expected, PackageBuilder.FrameRate(fps));
    }

    internal static VideoPlan Plan(int width, int height) =>
        VideoFilters.Plan(new MasterInfo(TimeSpan.FromSeconds(10), width, height, 25, true, PictureInfo.Square(width, height)));
}
