using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>
/// The per-title ladder through the real platform (worker started with it on, as it is by default): a 1080p slide deck
/// is uploaded, analysed, encoded and published; its package declares a top rung at most half the fixed 5000k, every
/// rendition keeps its layout, and the worker logged the ladder it chose.
/// </summary>
public sealed class PerTitlePlatformTests : IAsyncLifetime
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private readonly PlatformProcesses _platform = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Ingest:PerTitle:Enabled"] = "true",
    });
    private readonly TempFolder _masters = new();

    public Task InitializeAsync() => _platform.InitializeAsync();

    [Fact]
    public async Task SlideDeck_IsPublishedWithItsOwnCheaperLadder()
    {
        var master = _masters.Combine("slides.mp4");
        await Ffmpeg.RunAsync("ffmpeg", ContentKind.Slides(1920, 1080).MasterArguments(master, 1.2));
        using var admin = await _platform.AdminAsync();

        var id = await admin.UploadAsync("Slides", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, Transcode)).Status());

        var package = PackageChecks.Read(_platform, id, 1);
        var video = package.Representations.Where(r => r.Kind == MediaKind.Video).ToList();
        var top = video.MaxBy(r => r.Height)!;
        Assert.Equal(("video_1080p", 1080), (top.Id, top.Height));
        Assert.InRange(top.Bandwidth, 1, 2_500_000);
        Assert.All(video, r => PackageChecks.AssertLayout(PackageChecks.FileOf(_platform, package, r), r));
        Assert.Contains("per-title ladder 1080p", _platform.Worker!.Output, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        _masters.Dispose();
    }
}
