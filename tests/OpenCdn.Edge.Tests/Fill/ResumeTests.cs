using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>An interrupted download continues by Range from what is on disk; nothing already there is fetched again.</summary>
public sealed class ResumeTests
{
    private const int Size = 4_000_000;

    [Fact]
    public async Task FillKilledMidDownload_ResumesWithoutRefetching()
    {
        var settings = new Dictionary<string, string?> { ["FillRateBytesPerSecond"] = "2000000" };
        await using var bed = await FillBed.StartAsync(settings);
        var bytes = TestContent.Bytes(Size);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, new Dictionary<string, byte[]> { ["video_720p.mp4"] = bytes }));
        var partial = bed.PartialPath("t1", 1, "video_720p.mp4");

        using (var kill = new CancellationTokenSource())
        {
            var pass = bed.RunAsync(kill.Token);
            await Eventually.TrueAsync(() => File.Exists(partial) && new FileInfo(partial).Length >= Size / 4, "a quarter of the file was downloaded",
                interval: TimeSpan.FromMilliseconds(10));
            await kill.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pass);
        }
        await bed.RestartAsync(settings);
        var had = new FileInfo(partial).Length;

        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.InRange(had, Size / 4, Size - 1);
        var requests = bed.Origin.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal($"bytes={had}-", requests[1].Range);
        Assert.Equal(Size - had, requests[1].BytesSent);
        Assert.Equal(bytes, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
    }

    [Fact]
    public async Task SourceBreakingOff_NextPassResumesFromWhereItStopped()
    {
        await using var bed = await FillBed.StartAsync();
        var bytes = TestContent.Bytes(Size);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, new Dictionary<string, byte[]> { ["video_720p.mp4"] = bytes }));
        bed.Origin.BreakAfterBytes = 1_000_000;

        var first = await bed.RunAsync();
        var had = new FileInfo(bed.PartialPath("t1", 1, "video_720p.mp4")).Length;
        var second = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Incomplete, first);
        Assert.Equal(FillPassOutcome.Complete, second);
        Assert.InRange(had, 1, 1_000_000);
        Assert.Equal($"bytes={had}-", bed.Origin.Requests.Last().Range);
        Assert.Equal(bytes, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
    }
}
