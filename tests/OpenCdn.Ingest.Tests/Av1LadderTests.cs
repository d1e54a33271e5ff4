using FFMpegCore;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Packaging;
using OpenCdn.Ingest.Probe;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// The AV1 ladder beside H.264, from the ladder's one real ffmpeg command: the same keyframe times as the H.264
/// renditions at film, PAL, NTSC and 50p rates (SVT-AV1 ignores FFmpeg's forced keyframes unless asked, and then keeps
/// its own GOP of 161 frames), and a package that describes it with the codecs string of its av1C box.
/// </summary>
public sealed class Av1LadderTests : IDisposable
{
    private static readonly Av1Encoding Av1 = new(Preset: 12, Crf: 40, BitrateShare: 0.6);
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("24000/1001", 24000.0 / 1001)]
    [InlineData("25", 25.0)]
    [InlineData("30000/1001", 30000.0 / 1001)]
    [InlineData("50", 50.0)]
    public async Task Av1Renditions_HaveTheH264KeyframeTimes_AndAreDescribedAsAv1(string rate, double fps)
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine($"master-{fps:0}.mp4"), 426, 240, rate, 8.5, audioChannels: 0);
        var output = Directory.CreateDirectory(_folder.Combine($"out-{fps:0}")).FullName;
        var info = new MasterInfo(TimeSpan.FromSeconds(8.5), 426, 240, fps, false, PictureInfo.Square(426, 240));
        var plan = VideoFilters.Plan(info) with { Av1 = Av1 };

        await Ffmpeg.RunAsync("ffmpeg", LadderArguments.Build(master, output, plan, "ultrafast"));
        var package = await PackageBuilder.BuildAsync("t1", 1, output, info, plan, new FFOptions(), CancellationToken.None);

        var rung = Assert.Single(plan.Rungs);
        var h264 = await DecodedKeyframesAsync(Path.Combine(output, rung.FileName));
        var av1 = await DecodedKeyframesAsync(Path.Combine(output, Av1Encoding.FileNameOf(rung)));
        Assert.Equal(3, h264.Count); // 0, 4, 8 s: the first frame at or after each 4-s mark
        Assert.All(h264.Select((t, i) => t - i * 4), late => Assert.InRange(late, 0, 1 / fps + 1e-6));
        Assert.Equal(h264, av1);

        var described = Assert.Single(package.Representations, r => r.Id == "video_240p_av1");
        Assert.Equal((MediaKind.Video, "video_240p_av1.mp4", 426, 240), (described.Kind, described.File, described.Width, described.Height));
        Assert.Matches(@"^av01\.0\.\d\dM\.08$", described.Codecs);
        Assert.StartsWith("avc1.", package.Representations.Single(r => r.Id == "video_240p").Codecs, StringComparison.Ordinal);
        Assert.True(described.Bandwidth >= Av1.MaxKbps(rung) * 1000, "the MPD's bandwidth is the cap, or the real rate above it");
        Assert.Equal(PackageBuilder.FrameRate(fps), described.FrameRate);
        Assert.Contains(package.Files(), f => f.Name == "video_240p_av1.mp4" && f.Size == new FileInfo(Path.Combine(output, f.Name)).Length);
        var stream = await Ffmpeg.ProbeAsync("-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
            Path.Combine(output, described.File));
        Assert.Equal("av1", stream.Trim());
    }

    /// <summary>
    /// The times of the frames the decoder reports as keyframes (every frame decoded: FFmpeg's AV1 decoder ignores
    /// <c>-skip_frame nokey</c>, so the shared helper would list every frame).
    /// </summary>
    private static async Task<List<double>> DecodedKeyframesAsync(string path)
    {
        var output = await Ffmpeg.ProbeAsync("-select_streams", "v:0", "-show_entries", "frame=pts_time,key_frame", "-of", "csv=p=0", path);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',')).Where(f => f[0] == "1")
            .Select(f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void Arguments_WithAv1_SplitEachRungOnce_AndCapEachAv1RungAtItsShareOfTheH264Bitrate()
    {
        var plan = LadderTests.Plan(1280, 720) with { Av1 = new Av1Encoding(10, 35, 0.5) };

        var args = LadderArguments.Build("in.mov", "/out", plan, "veryfast");

        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];
        Assert.Contains("[s0]scale=1280:720:flags=bicubic,setsar=1,split=2[v0][a0]", graph, StringComparison.Ordinal);
        Assert.Single(args, a => a == "-i");
        Assert.Equal(4, args.Count(a => a == "libsvtav1"));
        Assert.Equal(8, args.Count(a => a == "expr:gte(t,n_forced*4)"));
        Assert.Equal(4, args.Count(a => a == "enable-force-key-frames=1"));
        var maxrates = args.Select((a, i) => (a, i)).Where(x => x.a == "-maxrate:v").Select(x => args[x.i + 1]).ToList();
        Assert.Equal(["3300k", "1320k", "660k", "330k", "1500k", "600k", "300k", "150k"], maxrates);
        Assert.Contains("/out/video_720p_av1.mp4", args);
        Assert.Contains("/out/video_240p_av1.mp4", args);
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x08, 0x0C, 0x00 }, "av01.0.08M.08")] // main profile, level 4.0, 8-bit 4:2:0
    [InlineData(new byte[] { 0x81, 0x0D, 0x4C, 0x00 }, "av01.0.13M.10")] // level 5.1, 10-bit (HDR10 ladders)
    [InlineData(new byte[] { 0x81, 0x2C, 0x8C, 0x00 }, "av01.1.12H.08")] // high profile, high tier
    public void Av1Codecs_AreReadFromTheConfigurationRecord(byte[] av1C, string expected)
    {
        Assert.Equal(expected, RenditionInspector.Av1Codecs(av1C));
    }

    public void Dispose() => _folder.Dispose();
}
