using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Ladder.PerTitle;

namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>The rate–quality hull and the rung choice on made-up measurements: no ffmpeg, exact numbers.</summary>
public sealed class HullTests
{
    [Fact]
    public void Hull_DropsEncodesBelowTheLineAndThoseThatBuyNothing()
    {
        var hull = new RateQualityHull([P(34, 100, 0.99), P(28, 200, 0.99), P(22, 400, 0.992), P(16, 800, 0.999)]);

        // 200k buys nothing over 100k; 400k lies below the line from 100k to 800k.
        Assert.Equal([100.0, 800.0], hull.Points.Select(p => p.Kbps));
    }

    [Fact]
    public void Reach_InterpolatesRateAndCrfInLogRate()
    {
        var hull = new RateQualityHull([P(30, 100, 0.99), P(20, 400, 0.999)]); // 20 dB → 30 dB over two doublings

        var point = hull.Reach(1 - Math.Pow(10, -2.5))!; // 25 dB: half way, one doubling

        Assert.Equal(200, point.Kbps, 6);
        Assert.Equal(25, point.Crf, 6);
    }

    [Fact]
    public void Reach_IsNullWhenTheCurveIsFlatBelowTheTarget()
    {
        var hull = new RateQualityHull([P(34, 200, 0.70), P(28, 400, 0.7001), P(22, 1500, 0.7002)]);

        Assert.Null(hull.Reach(0.995));
    }

    [Fact]
    public void Choose_EasyTitle_TakesTheBestQualityHalfTheFixedBitrateBuys_AndDropsRungsTooCloseToTheOneAbove()
    {
        var rungs = LadderTests.Plan(1920, 1080).Rungs; // 1080p … 240p
        var easy = new RateQualityHull([P(34, 100, 0.998), P(22, 400, 0.9998), P(16, 800, 0.9999)]);

        var chosen = RungChoice.Choose(rungs, [easy, easy, easy, easy, easy], 0.995, 150, 8000);

        // The target (0.995) costs less than 100k, but 800k (CRF 16, the best measured) is within half of 5000k: the top
        // takes it. 720p can spend 1500k: also CRF 16 at 800k, too close to the top, dropped; 480p: 600k buys
        // CRF 18.5, 1.33x below 800k, dropped; 360p: 300k buys CRF 24.5, kept; 240p: 150k buys CRF 30.5, kept.
        Assert.Equal([(1080, 800, 16.0), (360, 300, 24.5), (240, 150, 30.5)], chosen.Select(r => (r.ShortSide, r.Kbps, r.Crf!.Value)));
    }

    [Fact]
    public void Choose_HardTitle_GetsEachRungsShareOfTheCeiling_AtAnAverageBitrate()
    {
        var rungs = LadderTests.Plan(1920, 1080).Rungs;
        var hard = new RateQualityHull([P(34, 1000, 0.80), P(16, 16000, 0.95)]);

        var chosen = RungChoice.Choose(rungs, [hard, hard, hard, hard, hard], 0.995, 150, 8000);

        Assert.Equal([8000, 4800, 1920, 960, 480], chosen.Select(r => r.Kbps));
        Assert.All(chosen, r => Assert.Null(r.Crf));
    }

    [Fact]
    public void Choose_OrdinaryTitle_AimsAtTheTarget_WithinTheCeiling()
    {
        var rungs = LadderTests.Plan(1280, 720).Rungs; // 720p, 480p, 360p, 240p
        RateQualityHull Curve(double scale) => new([P(34, 1000 * scale, 0.98), P(16, 16000 * scale, 0.9995)]);

        var chosen = RungChoice.Choose(rungs, [Curve(1), Curve(0.45), Curve(0.3), Curve(0.25)], 0.995, 150, 8000);

        // Half the fixed bitrate buys less than the target here. 0.995 is 23 dB on a line from 17 dB to 33 dB over four
        // doublings: 1.5 doublings up, 1000k·2^1.5 ≈ 2835k at 720p. 240p would need 709k: its ceiling share is 480k.
        Assert.Equal([(720, 2830), (480, 1280), (360, 850), (240, 480)], chosen.Select(r => (r.ShortSide, r.Kbps)));
        Assert.Equal([true, true, true, false], chosen.Select(r => r.Crf.HasValue));
    }

    [Theory]
    [InlineData(2400, 0.9995, true)] // within half of 5000k, above the target: settled
    [InlineData(2600, 0.9995, false)] // more than half the fixed bitrate: the lower CRFs decide
    [InlineData(900, 0.994, false)] // below the target: the curve decides
    public void Settles_OnlyWhenTheBestEncodeReachesTheTargetWithinHalfTheFixedBitrate(double kbps, double ssim, bool settles)
    {
        var top = LadderTests.Plan(1920, 1080).Rungs[0];

        Assert.Equal(settles, RungChoice.Settles(top, P(16, kbps, ssim), 0.995));
    }

    [Fact]
    public void Choose_SettledRung_IsPricedTheSameFromItsOneEncodeAsFromTheWholeCurve()
    {
        var rungs = LadderTests.Plan(1920, 1080).Rungs;
        RatePoint[] curve = [P(34, 300, 0.99), P(28, 600, 0.995), P(22, 1200, 0.998), P(16, 2400, 0.9995)];
        Assert.True(RungChoice.Settles(rungs[0], curve[^1], 0.995));

        var whole = RungChoice.Choose([rungs[0]], [new RateQualityHull(curve)], 0.995, 150, 8000);
        var one = RungChoice.Choose([rungs[0]], [new RateQualityHull([curve[^1]])], 0.995, 150, 8000);

        Assert.Equal((2400, 16.0), (whole[0].Kbps, whole[0].Crf!.Value));
        Assert.Equal(whole, one);
    }

    [Fact]
    public void Options_FloorAboveHalfTheCeiling_IsRejectedAtStart()
    {
        var options = new PerTitleOptions { FloorKbps = 3000, CeilingKbps = 5000 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains("FloorKbps", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    private static RatePoint P(double crf, double kbps, double ssim) => new(crf, kbps, ssim);
}
