using OpenCdn.Ingest.Ladder.PerTitle;

namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>The analysis reads each encode's rate and SSIM from x264's own report on ffmpeg's stderr (lines as FFmpeg 5.1 prints them).</summary>
public sealed class X264ReportTests
{
    [Fact]
    public void Read_TiesEachEncodersClosingReportToTheOutputItOpenedBefore()
    {
        var report = new X264Report();

        foreach (var line in Opening("0x55aa00", 0).Concat(Opening("0x55bb00", 1)).Concat(
        [
            "[libx264 @ 0x55bb00] frame I:1     Avg QP:13.00  size: 41223",
            "[libx264 @ 0x55bb00] SSIM Mean Y:0.9999366 (41.982db)",
            "[libx264 @ 0x55bb00] kb/s:101.59",
            "[libx264 @ 0x55aa00] SSIM Mean Y:0.9991000 (30.458db)",
            "[libx264 @ 0x55aa00] kb/s:2047.50",
        ]))
        {
            report.Read(line);
        }

        Assert.Equal((2047.5, 0.9991), report.Result(0, 2));
        Assert.Equal((101.59, 0.9999366), report.Result(1, 2));
    }

    [Fact]
    public void Result_OfAnEncoderThatNeverReported_Throws()
    {
        var report = new X264Report();
        foreach (var line in Opening("0x55aa00", 0).Concat(Opening("0x55bb00", 1)).Append("[libx264 @ 0x55aa00] SSIM Mean Y:0.99 (20db)")
            .Append("[libx264 @ 0x55aa00] kb/s:100.00"))
        {
            report.Read(line);
        }

        Assert.Equal((100.0, 0.99), report.Result(0, 2));
        var e = Assert.Throws<InvalidOperationException>(() => report.Result(1, 2));
        Assert.Contains("#1", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => report.Result(0, 3)); // a third encoder never even opened
    }

    private static IEnumerable<string> Opening(string address, int output) =>
    [
        $"[libx264 @ {address}] --ssim used with psy on: results will be invalid!",
        $"[libx264 @ {address}] using cpu capabilities: MMX2 SSE2Fast SSSE3 SSE4.2 AVX FMA3 BMI2 AVX2",
        $"[libx264 @ {address}] profile High, level 4.0, 4:2:0, 8-bit",
        $"Output #{output}, null, to 'pipe:':",
        "  Stream #0:0: Video: h264, yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], q=2-31, 25 fps, 25 tbn",
    ];
}
