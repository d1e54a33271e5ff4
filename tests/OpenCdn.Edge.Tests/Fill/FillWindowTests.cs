using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>Downloads happen only inside the local off-peak window, judged in the edge's own time zone on a fake clock.</summary>
public sealed class FillWindowTests
{
    public static TheoryData<string, string, string, string, bool> Windows => new()
    {
        // window start, end, zone, instant (UTC), open?
        { "02:00", "14:00", "UTC", "2026-01-15T01:59:59Z", false },
        { "02:00", "14:00", "UTC", "2026-01-15T02:00:00Z", true },
        { "02:00", "14:00", "UTC", "2026-01-15T13:59:59Z", true },
        { "02:00", "14:00", "UTC", "2026-01-15T14:00:00Z", false },
        { "02:00", "14:00", "Europe/Paris", "2026-01-15T01:30:00Z", true },   // 02:30 CET
        { "02:00", "14:00", "Europe/Paris", "2026-01-15T13:30:00Z", false },  // 14:30 CET
        { "02:00", "14:00", "Europe/Paris", "2026-07-15T12:30:00Z", false },  // 14:30 CEST
        { "02:00", "14:00", "America/New_York", "2026-01-15T13:00:00Z", true }, // 08:00 EST
        { "22:00", "06:00", "UTC", "2026-01-15T23:00:00Z", true },            // wraps midnight
        { "22:00", "06:00", "UTC", "2026-01-15T05:59:00Z", true },
        { "22:00", "06:00", "UTC", "2026-01-15T12:00:00Z", false },
        { "00:00", "00:00", "UTC", "2026-01-15T12:00:00Z", true },            // start = end: all day
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Window_IsJudgedInLocalTime(string start, string end, string zone, string instant, bool open)
    {
        var window = new FillWindow(
            TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), zone);

        Assert.Equal(open, FillSchedule.IsOpen(
            window, TimeZoneInfo.FindSystemTimeZoneById(zone), DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task OutsideWindow_DownloadsNothing_InsideWindow_Fills()
    {
        // 15:30 in Paris
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-15T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var bed = await FillBed.StartAsync(new Dictionary<string, string?>
        {
            ["FillWindowStart"] = "02:00",
            ["FillWindowEnd"] = "14:00",
            ["FillWindowTimeZone"] = "Europe/Paris",
        }, clock);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, new Dictionary<string, byte[]> { ["video_720p.mp4"] = TestContent.Bytes(100_000) }));

        var outside = await bed.RunAsync();
        clock.Advance(TimeSpan.FromHours(10)); // 01:30 in Paris, still closed
        var stillOutside = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.OutsideWindow, outside);
        Assert.Equal(FillPassOutcome.OutsideWindow, stillOutside);
        Assert.Empty(bed.Origin.Requests);
        Assert.False(bed.Holds("t1", 1, "video_720p.mp4"));

        clock.Advance(TimeSpan.FromHours(1)); // 02:30 in Paris
        var inside = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, inside);
        Assert.True(bed.Holds("t1", 1, "video_720p.mp4"));
    }

    [Fact]
    public async Task WindowClosingMidDownload_StopsTheDownload_AndKeepsThePartialForTomorrow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-15T13:59:30Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var bed = await FillBed.StartAsync(new Dictionary<string, string?>
        {
            ["FillWindowStart"] = "02:00",
            ["FillWindowEnd"] = "14:00",
            ["FillRateBytesPerSecond"] = "10000", // paced by the fake clock: 30 s of window hold about 300 KB
        }, clock);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, new Dictionary<string, byte[]> { ["video.mp4"] = TestContent.Bytes(2_000_000) }));

        var pass = bed.RunAsync();
        // Let the download start inside the window at real speed (a loaded machine may take a while), then run the clock out.
        var partial = bed.PartialPath("t1", 1, "video.mp4");
        var closing = DateTimeOffset.Parse("2026-01-15T13:59:50Z", System.Globalization.CultureInfo.InvariantCulture);
        while (!(File.Exists(partial) && new FileInfo(partial).Length > 0) && clock.GetUtcNow() < closing && !pass.IsCompleted)
        {
            await Task.Delay(10);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        for (var second = 0; second < 120 && !pass.IsCompleted; second++)
        {
            await Task.Delay(10);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(FillPassOutcome.OutsideWindow, await pass);
        Assert.False(bed.Holds("t1", 1, "video.mp4"));
        Assert.InRange(new FileInfo(bed.PartialPath("t1", 1, "video.mp4")).Length, 1, 1_000_000);
    }
}
