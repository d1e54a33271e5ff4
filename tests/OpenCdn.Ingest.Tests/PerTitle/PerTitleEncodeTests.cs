using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Ladder.PerTitle;
using OpenCdn.Ingest.Probe;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>
/// The per-title ladder on real encodes: each kind of master is analysed with the default settings, then its top rung is
/// encoded through the ladder's own command (<see cref="LadderArguments"/>) once at the per-title bitrate and once at the
/// fixed ladder's, and both are measured with ffmpeg's SSIM against the master. Easy content (slides, talking head,
/// animation; 1080p, since the rule is about the fixed 5000k) must get at most half the bitrate at a quality SSIM cannot
/// tell apart (within 0.0005, both above 0.999), and no more bytes (x264 writes a 5000k flat animation in far fewer
/// bytes than its target, so bytes may match within 25 % there); grain (360p, to keep it cheap) must get more bits than the fixed 600k.
/// (SSIM barely moves on grain between those rates, so its quality is logged, not asserted.)
/// </summary>
public sealed class PerTitleEncodeTests(ITestOutputHelper output) : IDisposable
{
    private const double Seconds = 1.2;
    private readonly TempFolder _folder = new();

    public static TheoryData<string> EasyKinds => ["slides", "talking-head", "animation"];

    [Theory]
    [MemberData(nameof(EasyKinds))]
    public async Task EasyContent_TopRungAtMostHalfTheFixedBitrate_AtEqualQuality(string kind)
    {
        var content = Kind(kind, 1920, 1080);

        var (perTitle, fixedTop) = await EncodeTopRungsAsync(content);

        Assert.Equal(5000, fixedTop.Rung.Kbps);
        Assert.InRange(perTitle.Rung.Kbps, 1, 2500);
        Assert.True(perTitle.Ssim >= 0.999 && perTitle.Ssim >= fixedTop.Ssim - 0.0005,
            $"per-title SSIM {perTitle.Ssim} against fixed {fixedTop.Ssim}");
        Assert.True(perTitle.Bytes <= fixedTop.Bytes * 1.25, $"per-title {perTitle.Bytes} bytes against fixed {fixedTop.Bytes}");
    }

    [Fact]
    public async Task Grain_TopRungGetsMoreThanTheFixedLadder_UpToItsCeiling()
    {
        var (perTitle, fixedTop) = await EncodeTopRungsAsync(ContentKind.Grain(640, 360));

        Assert.Equal(600, fixedTop.Rung.Kbps);
        Assert.True(perTitle.Rung.Kbps > fixedTop.Rung.Kbps, $"per-title {perTitle.Rung.Kbps}k");
        Assert.Equal(8000 * 600 / 5000, perTitle.Rung.Kbps); // the target is out of reach: the ceiling's share for 360p
        Assert.True(perTitle.Bytes > fixedTop.Bytes * 1.3, $"per-title {perTitle.Bytes} bytes against fixed {fixedTop.Bytes}");
    }

    [Fact]
    public async Task AnalysisFailure_FallsBackToTheFixedLadder()
    {
        var plan = LadderTests.Plan(1280, 720);

        var chosen = await Ladder().ChooseAsync("t1", "ffmpeg", _folder.Combine("missing.mp4"), TimeSpan.FromSeconds(10), plan,
            CancellationToken.None);

        Assert.Same(plan, chosen);
    }

    public void Dispose() => _folder.Dispose();

    private async Task<(TopRung PerTitle, TopRung Fixed)> EncodeTopRungsAsync(ContentKind content)
    {
        var master = _folder.Combine(content.Name + ".mp4");
        await Ffmpeg.RunAsync("ffmpeg", content.MasterArguments(master, Seconds));
        var plan = VideoFilters.Plan(new MasterInfo(
            TimeSpan.FromSeconds(Seconds), content.Width, content.Height, 25, false, PictureInfo.Square(content.Width, content.Height)));

        // The top rung alone: the tests judge only it, and each rung's analysis is independent of the others'.
        var chosen = await Ladder().ChooseAsync(content.Name, "ffmpeg", master, TimeSpan.FromSeconds(Seconds),
            plan with { Rungs = [plan.Rungs[0]] }, CancellationToken.None);

        var perTitle = await EncodeAsync(master, plan with { Rungs = [chosen.Rungs[0]] }, "per-title");
        var fixedTop = await EncodeAsync(master, plan with { Rungs = [plan.Rungs[0]] }, "fixed");
        output.WriteLine($"{content.Name}: per-title {PerTitleLadder.Describe(chosen.Rungs)}; "
            + $"top {perTitle.Bytes} B SSIM {perTitle.Ssim:0.00000}; fixed {fixedTop.Bytes} B SSIM {fixedTop.Ssim:0.00000}");
        return (perTitle, fixedTop);
    }

    private async Task<TopRung> EncodeAsync(string master, VideoPlan plan, string name)
    {
        var folder = Directory.CreateDirectory(_folder.Combine(name)).FullName;
        await FfmpegProcess.RunAsync("ffmpeg", LadderArguments.Build(master, folder, plan, "veryfast"), null, CancellationToken.None);
        var rung = plan.Rungs[0];
        var file = Path.Combine(folder, rung.FileName);
        return new TopRung(rung, new FileInfo(file).Length, await SsimAsync(file, master));
    }

    private static async Task<double> SsimAsync(string encoded, string master)
    {
        double? ssim = null;
        await FfmpegProcess.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-i", encoded, "-i", master,
            "-lavfi", "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim", "-f", "null", "-"], null, line =>
            {
                var at = line.IndexOf(" All:", StringComparison.Ordinal);
                if (line.Contains("SSIM Y:", StringComparison.Ordinal) && at > 0)
                {
                    ssim = double.Parse(line[(at + 5)..].Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }, CancellationToken.None);
        return ssim ?? throw new InvalidOperationException("ffmpeg printed no SSIM");
    }

    private static ContentKind Kind(string name, int width, int height) => name switch
    {
        "slides" => ContentKind.Slides(width, height),
        "talking-head" => ContentKind.TalkingHead(width, height),
        _ => ContentKind.Animation(width, height),
    };

    private static PerTitleLadder Ladder() => new(
        Options.Create(new PerTitleOptions()), Options.Create(new IngestOptions()), NullLogger<PerTitleLadder>.Instance);

    private sealed record TopRung(Rung Rung, long Bytes, double Ssim);
}
