using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Packaging;

namespace OpenCdn.Ingest.Tests;

public sealed class LadderTests
{
    [Theory]
    [InlineData(2160, new[] { 1080, 720, 480, 360, 240 })]
    [InlineData(1080, new[] { 1080, 720, 480, 360, 240 })]
    [InlineData(1079, new[] { 720, 480, 360, 240 })]
    [InlineData(720, new[] { 720, 480, 360, 240 })]
    [InlineData(360, new[] { 360, 240 })]
    [InlineData(240, new[] { 240 })]
    [InlineData(181, new[] { 180 })]
    public void Rungs_NeverUpscale(int sourceHeight, int[] expected)
    {
        Assert.Equal(expected, Rung.For(sourceHeight).Select(r => r.Height));
    }

    [Fact]
    public void Arguments_DecodeOnceAndForceAlignedClosedKeyframes()
    {
        var args = LadderArguments.Build("in.mov", "/out", Rung.For(720), hasAudio: true, "audio_und.mp4", "veryfast");

        Assert.Single(args, a => a == "-i");
        Assert.Contains(
            "[0:v:0]split=5[s0][s1][s2][s3][sthumbs]", args.Single(a => a.StartsWith("[0:v:0]split", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        Assert.Equal(4, args.Count(a => a == "expr:gte(t,n_forced*4)"));
        Assert.Equal(4, args.Count(a => a == "scenecut=0:open_gop=0"));
        Assert.Equal(["/out/video_720p.mp4", "/out/video_480p.mp4", "/out/video_360p.mp4", "/out/video_240p.mp4", "/out/thumbs_%d.jpg",
            "/out/audio_und.mp4"],
            args.Where(a => a.StartsWith("/out/", StringComparison.Ordinal)));
        Assert.Equal(5, args.Count(a => a == "+dash+global_sidx+skip_trailer"));
    }

    [Fact]
    public void Arguments_WithoutAudio_MapNoAudio()
    {
        var args = LadderArguments.Build("in.mov", "/out", Rung.For(360), hasAudio: false, "", "veryfast");

        Assert.DoesNotContain("0:a:0", args);
        Assert.DoesNotContain("aac", args);
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
}
