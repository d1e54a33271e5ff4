using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>What left the plan goes only after an inventory without it was reported; the disk budget is never exceeded.</summary>
public sealed class EvictionAndDiskTests
{
    private static readonly Dictionary<string, byte[]> A = new() { ["video.mp4"] = TestContent.Bytes(1_000_000, seed: 1) };
    private static readonly Dictionary<string, byte[]> B = new() { ["video.mp4"] = TestContent.Bytes(1_000_000, seed: 2) };
    private static readonly Dictionary<string, byte[]> C = new() { ["video.mp4"] = TestContent.Bytes(1_000_000, seed: 3) };

    [Fact]
    public async Task PackageLeavingPlan_IsServedUntilInventoryWithoutItWasReported_ThenEvicted()
    {
        await using var bed = await FillBed.StartAsync();
        await bed.SetPlanAsync(1, bed.Item("a", 1, A), bed.Item("b", 1, B));
        Assert.Equal(FillPassOutcome.Complete, await bed.RunAsync());
        var inventory = bed.Edge.Get<Inventory>();

        await bed.SetPlanAsync(2, bed.Item("b", 1, B));
        await bed.RunAsync();
        var (number, items) = inventory.Snapshot(); // built, but the heartbeat carrying it has not succeeded yet
        await bed.RunAsync();

        Assert.True(bed.Holds("a", 1, "video.mp4"));
        Assert.Equal(A["video.mp4"], await bed.DownloadAsync("a", 1, "video.mp4"));
        Assert.Equal(["b"], items.Select(i => i.TitleId));

        inventory.Reported(number);
        await bed.RunAsync();

        Assert.False(bed.Holds("a", 1, "video.mp4"));
        Assert.False(File.Exists(bed.ContentPath("a", 1, "video.mp4")));
        Assert.True(bed.Holds("b", 1, "video.mp4"));
    }

    [Fact]
    public async Task InventoryReportedBeforeThePlanChanged_DoesNotAllowEviction()
    {
        await using var bed = await FillBed.StartAsync();
        await bed.SetPlanAsync(1, bed.Item("a", 1, A), bed.Item("b", 1, B));
        await bed.RunAsync();
        var inventory = bed.Edge.Get<Inventory>();
        var (before, _) = inventory.Snapshot();

        await bed.SetPlanAsync(2, bed.Item("b", 1, B));
        await bed.RunAsync();
        inventory.Reported(before); // the answer to a heartbeat that still listed "a"
        await bed.RunAsync();

        Assert.True(bed.Holds("a", 1, "video.mp4"));
    }

    [Fact]
    public async Task DiskCapLessHeadroom_IsNeverExceeded_AndSpaceFreedByEvictionIsReused()
    {
        await using var bed = await FillBed.StartAsync(new Dictionary<string, string?>
        {
            ["DiskCapacityBytes"] = "2600000",
            ["DiskHeadroomBytes"] = "500000",
        });
        await bed.SetPlanAsync(1, bed.Item("a", 1, A), bed.Item("b", 1, B), bed.Item("c", 1, C));

        var first = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Incomplete, first);
        Assert.True(bed.Holds("a", 1, "video.mp4"));
        Assert.True(bed.Holds("b", 1, "video.mp4"));
        Assert.False(bed.Holds("c", 1, "video.mp4"));
        Assert.DoesNotContain(bed.Origin.Requests, r => r.Path.StartsWith("origin/c/", StringComparison.Ordinal));

        await bed.SetPlanAsync(2, bed.Item("b", 1, B), bed.Item("c", 1, C));
        await bed.RunAsync();
        Assert.False(bed.Holds("c", 1, "video.mp4")); // "a" still counts until it may go

        bed.Edge.Get<Inventory>().Reported(bed.Edge.Get<Inventory>().Snapshot().Number);
        var last = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, last);
        Assert.False(bed.Holds("a", 1, "video.mp4"));
        Assert.True(bed.Holds("c", 1, "video.mp4"));
        Assert.True(bed.Edge.Get<OpenCdn.Edge.Content.ContentCatalog>().TotalBytes <= 2_100_000);
    }
}
