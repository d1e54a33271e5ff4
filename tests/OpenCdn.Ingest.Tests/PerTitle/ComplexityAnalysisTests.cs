using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Ladder.PerTitle;
using OpenCdn.Ingest.Probe;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>
/// What the analysis costs, on real encodes of 1.2-s masters: a slide deck is settled by one encode per rung (the best
/// CRF already reaches the target within half the fixed bitrate), so nothing else is encoded; grain is not, and gets
/// the whole curve.
/// </summary>
public sealed class ComplexityAnalysisTests : IDisposable
{
    private const double Seconds = 1.2;
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task SlideDeck_EveryRungSettledByItsBestEncodeAlone()
    {
        var (master, plan) = await MasterAsync(ContentKind.Slides(1280, 720));

        var hulls = await AnalyseAsync(master, plan);

        Assert.Equal(4, hulls.Count);
        Assert.All(hulls, hull => Assert.Equal(AnalysisArguments.Crfs[0], Assert.Single(hull.Points).Crf));
        Assert.All(hulls.Zip(plan.Rungs), h => Assert.True(RungChoice.Settles(h.Second, h.First.Points[0], 0.995)));
    }

    [Fact]
    public async Task Grain_IsSampledAtEveryCrf()
    {
        var (master, plan) = await MasterAsync(ContentKind.Grain(640, 360));

        var hull = (await AnalyseAsync(master, plan))[0]; // 360p (and 240p)

        Assert.False(RungChoice.Settles(plan.Rungs[0], hull.Points[^1], 0.995));
        Assert.True(hull.Points.Count >= 2, $"{hull.Points.Count} points on the hull");
        Assert.Equal(AnalysisArguments.Crfs[0], hull.Points[^1].Crf); // the best quality bought at most
        Assert.True(hull.Points[0].Kbps < hull.Points[^1].Kbps / 4, $"{hull.Points[0].Kbps}k against {hull.Points[^1].Kbps}k");
    }

    public void Dispose() => _folder.Dispose();

    private async Task<(string Master, VideoPlan Plan)> MasterAsync(ContentKind content)
    {
        var master = _folder.Combine(content.Name + ".mp4");
        await Ffmpeg.RunAsync("ffmpeg", content.MasterArguments(master, Seconds));
        return (master, VideoFilters.Plan(new MasterInfo(
            TimeSpan.FromSeconds(Seconds), content.Width, content.Height, 25, false, PictureInfo.Square(content.Width, content.Height))));
    }

    private static Task<IReadOnlyList<RateQualityHull>> AnalyseAsync(string master, VideoPlan plan) =>
        ComplexityAnalysis.RunAsync("ffmpeg", master, TimeSpan.FromSeconds(Seconds), plan, "veryfast", 0.02, 0.995, CancellationToken.None);
}
