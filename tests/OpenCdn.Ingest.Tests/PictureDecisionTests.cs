using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;

namespace OpenCdn.Ingest.Tests;

/// <summary>The picture decisions made from ffprobe's flags and a sample's idet and cropdetect output, with counts seen on real encodes.</summary>
public sealed class PictureDecisionTests
{
    private const double Ntsc = 30000.0 / 1001;

    [Fact]
    public void IdetSummary_IsRead()
    {
        var counts = IdetCounts.Parse([
            "[Parsed_idet_0 @ 0x5641b26f2940] Repeated Fields: Neither:    54 Top:    18 Bottom:    18",
            "[Parsed_idet_0 @ 0x5641b26f2940] Single frame detection: TFF:    81 BFF:     6 Progressive:     3 Undetermined:     0",
            "[Parsed_idet_0 @ 0x5641b26f2940] Multi frame detection: TFF:    89 BFF:     0 Progressive:     0 Undetermined:     1",
        ]);

        Assert.Equal(new IdetCounts(89, 0, 0, 1, 54, 18, 18), counts);
        Assert.Equal(0.4, counts.RepeatedShare, 3);
    }

    [Theory]
    // 1080i25 flagged tt, every frame combed, no repeated field: true interlace.
    [InlineData("tt", 75, 0, 0, 0, 75, 0, 0, 25, "Interlaced", true)]
    // Hard-telecined film flagged progressive: combed frames and a repeated field in 2 of 5 frames.
    [InlineData("progressive", 89, 0, 0, 1, 54, 18, 18, Ntsc, "Telecined", true)]
    [InlineData("tt", 89, 0, 0, 1, 54, 18, 18, Ntsc, "Telecined", true)]
    // Interlaced content re-wrapped as progressive: idet overrules the flag, and gives the field order.
    [InlineData("progressive", 0, 70, 5, 0, 75, 0, 0, 25, "Interlaced", false)]
    // Progressive frames flagged interlaced (PsF): idet overrules the flag.
    [InlineData("tt", 0, 0, 75, 0, 75, 0, 0, 25, "Progressive", true)]
    // A static sample proves nothing: the flag stands.
    [InlineData("bb", 0, 0, 0, 75, 75, 0, 0, 25, "Interlaced", false)]
    [InlineData("unknown", 0, 0, 0, 75, 75, 0, 0, 25, "Progressive", true)]
    // Fine synthetic detail: idet calls frames TFF and BFF alike, which real interlace never does.
    [InlineData("progressive", 34, 32, 36, 0, 102, 0, 0, 25, "Progressive", true)]
    // Repeated fields at 25 fps are not 3:2 pulldown.
    [InlineData("tt", 89, 0, 0, 1, 54, 18, 18, 25, "Interlaced", true)]
    public void Scan_IsDecidedFromFlagsAndIdet(
        string fieldOrder, int tff, int bff, int progressive, int undetermined, int neither, int top, int bottom, double fps,
        string kind, bool topFirst)
    {
        var scan = ScanDetector.Decide(FieldOrders.Parse(fieldOrder), new IdetCounts(tff, bff, progressive, undetermined, neither, top, bottom), fps);

        Assert.Equal(new Scan(Enum.Parse<ScanKind>(kind), topFirst), scan);
    }

    [Fact]
    public void Crop_StableSymmetricLetterbox_IsCut()
    {
        var log = Lines("crop=1262:536:18:92", "crop=1270:536:10:92", Repeat("crop=1280:536:0:92", 70));

        Assert.Equal(new CropBox(1280, 536, 0, 92), CropBox.Decide(log, 1280, 720));
    }

    [Theory]
    [InlineData(1280, 536, 0, 92, 1280, 720, true)] // letterbox
    [InlineData(1280, 700, 0, 10, 1280, 720, true)] // 2.8 %, symmetric
    [InlineData(1280, 712, 0, 4, 1280, 720, false)] // 1.1 %: not worth a crop
    [InlineData(1280, 600, 0, 0, 1280, 720, false)] // all at the bottom: a dark scene, not bars
    [InlineData(1280, 300, 0, 210, 1280, 720, false)] // would keep less than half
    [InlineData(960, 720, 160, 0, 1280, 720, true)] // pillarbox
    public void Crop_OnlyClearBars(int w, int h, int x, int y, int width, int height, bool cut)
    {
        var found = CropBox.Decide(Repeat($"crop={w}:{h}:{x}:{y}", 40), width, height);

        Assert.Equal(cut ? new CropBox(w, h, x, y) : null, found);
    }

    [Fact]
    public void Crop_ThatStillGrowsInTheSecondHalf_IsNotTrusted()
    {
        var log = Lines(Repeat("crop=1280:400:0:160", 30), Repeat("crop=1280:536:0:92", 10));

        Assert.Null(CropBox.Decide(log, 1280, 720));
    }

    [Fact]
    public void MasterFilters_RunInOrder_ScanCropToneMap()
    {
        var picture = new PictureInfo(1920, 1080, Ratio.Square, new Scan(ScanKind.Interlaced, true), new CropBox(1920, 800, 0, 140),
            DynamicRange.Pq, 4000);

        Assert.Equal("bwdif=mode=send_field:parity=tff:deint=all,crop=1920:800:0:140,"
            + "setparams=color_primaries=bt2020:color_trc=smpte2084:colorspace=bt2020nc,zscale=t=linear:npl=100,format=gbrpf32le,"
            + "zscale=p=bt709,tonemap=tonemap=hable:desat=0:peak=40,zscale=t=bt709:m=bt709:r=tv,format=yuv420p",
            VideoFilters.MasterFilters(picture));
    }

    [Fact]
    public void Plan_Telecined_IsMatchedAndDecimatedTo23976()
    {
        var picture = new PictureInfo(720, 480, new Ratio(32, 27), new Scan(ScanKind.Telecined, false), null, DynamicRange.Sdr, 100);

        var plan = VideoFilters.Plan(new MasterInfo(TimeSpan.FromSeconds(60), 720, 480, Ntsc, false, picture));

        Assert.Equal("fieldmatch=order=bff:combmatch=full,bwdif=mode=send_frame:parity=bff:deint=interlaced,decimate", plan.MasterFilters);
        Assert.Equal(24000.0 / 1001, plan.FrameRate, 6);
        Assert.Equal((852, 480), (plan.Rungs[0].Width, plan.Rungs[0].Height)); // 720 x 32/27 = 853.3, never above it
        Assert.Equal(plan.MasterFilters + ",scale=640:360:flags=bicubic,setsar=1", VideoFilters.Poster(plan, 640));
        Assert.Empty(VideoFilters.OutputTags(plan));
    }

    [Fact]
    public void Plan_Hlg_IsToneMappedAndTaggedBt709()
    {
        var picture = new PictureInfo(3840, 2160, Ratio.Square, Scan.Progressive, null, DynamicRange.Hlg, 1000);

        var plan = VideoFilters.Plan(new MasterInfo(TimeSpan.FromSeconds(60), 3840, 2160, 50, false, picture));

        Assert.Contains("color_trc=arib-std-b67", plan.MasterFilters, StringComparison.Ordinal);
        Assert.Contains("tonemap=tonemap=hable:desat=0:peak=10,", plan.MasterFilters, StringComparison.Ordinal);
        Assert.Equal(["-color_primaries:v", "bt709", "-color_trc:v", "bt709", "-colorspace:v", "bt709", "-color_range:v", "tv"],
            VideoFilters.OutputTags(plan));
        Assert.Equal(50, plan.FrameRate);
    }

    [Theory]
    [InlineData("64:45", 64, 45)]
    [InlineData("0:1", 1, 1)]
    [InlineData("N/A", 1, 1)]
    [InlineData(null, 1, 1)]
    public void SampleAspect_AbsentOrZero_IsSquare(string? text, int num, int den)
    {
        Assert.Equal(new Ratio(num, den), Ratio.Parse(text));
    }

    private static List<string> Repeat(string line, int count) => Enumerable.Repeat($"[Parsed_cropdetect_1 @ 0x1] x1:0 {line}", count).ToList();

    private static List<string> Lines(params object[] parts) =>
        parts.SelectMany(p => p is string s ? [$"[Parsed_cropdetect_1 @ 0x1] {s}"] : (IEnumerable<string>)p).ToList();
}
