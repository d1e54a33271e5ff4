using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// A title encoded in chunks by the queue's workers (a 20-s master over a 10-s threshold, in 8-s chunks) plays in
/// Chromium across both seams without a stall or a player error. The worker's master cache is set smaller than the
/// master here, so every part fetches its own copy (the bound holds) and the title still comes out whole.
/// </summary>
public sealed class ChunkedPlaybackTests : IAsyncLifetime
{
    private readonly TempFolder _masters = new();
    private readonly PlatformProcesses _platform = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Ingest:Chunking:ThresholdSeconds"] = "10",
        ["OpenCdn:Ingest:Chunking:ChunkSeconds"] = "8",
        ["OpenCdn:Ingest:Chunking:MasterCacheBytes"] = "100000",
    });

    private Browser? _browser;

    public async Task InitializeAsync()
    {
        await _platform.InitializeAsync();
        _browser = await Browser.LaunchAsync();
    }

    [Fact]
    public async Task ChunkedTitle_PlaysAcrossEverySeam_WithoutAStall()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("chunked.mp4"), 854, 480, "30000/1001", 20, audioChannels: 2);
        using var admin = await _platform.AdminAsync();
        var id = await admin.UploadAsync("Chunked", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(4))).Status());
        Assert.Contains("cut into 3 chunks", _platform.Worker!.Output, StringComparison.Ordinal);
        Assert.Contains("larger than the master cache (100000 bytes); fetched for this job only", _platform.Worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("master taken from this worker's cache", _platform.Worker.Output, StringComparison.Ordinal);
        var caches = Directory.GetDirectories(_platform.Data.Combine("work", "_masters"));
        Assert.All(caches, cache => Assert.Equal([".lock"], Directory.EnumerateFileSystemEntries(cache).Select(Path.GetFileName)));

        await using var session = await _browser!.OpenAsync(_platform.BaseUrl, nameof(ChunkedTitle_PlaysAcrossEverySeam_WithoutAStall));
        await session.Page.SignInAsAdminAsync($"/?preview={id}");
        await session.WaitForPlaybackAsync(18, TimeSpan.FromSeconds(90)); // past the seams at 8 s and 16 s

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
        Assert.Empty(log.OfKind("stallStart"));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        await _platform.DisposeAsync();
        _masters.Dispose();
    }
}
