using Microsoft.Extensions.Time.Testing;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Tests.Popularity;

/// <summary>What the tracker hands over for the fleet-wide counts: each play once, decayed to the hand-over.</summary>
public sealed class PopularityFlushTests
{
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(1);

    [Fact]
    public void TakeUnflushed_HandsOverEachPlayOnce_GlobalAndRegional_DecayedToNow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var tracker = new PopularityTracker(new PopularityOptions { HalfLife = HalfLife }, time);
        tracker.Record("t1", "isp:a", time.GetUtcNow().UtcTicks);
        tracker.Record("t1", null, time.GetUtcNow().UtcTicks);
        time.Advance(HalfLife);

        var first = tracker.TakeUnflushed();
        var second = tracker.TakeUnflushed();

        Assert.Equal(time.GetUtcNow(), first.At);
        Assert.Equal(1, first.Counts.Single(c => c.Region == PopularityCount.Global).Score, 9); // 2 plays, one half-life ago
        Assert.Equal(0.5, first.Counts.Single(c => c.Region == "isp:a").Score, 9);
        Assert.Equal(2, first.Counts.Length);
        Assert.Empty(second.Counts);
        Assert.Equal(1, tracker.Snapshot().Global("t1"), 9); // the tracker's own counts stay
    }

    [Fact]
    public void Restore_PutsAFailedFlushBack_ForTheNextOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var tracker = new PopularityTracker(new PopularityOptions { HalfLife = HalfLife }, time);
        tracker.Record("t1", "isp:a", time.GetUtcNow().UtcTicks);
        var failed = tracker.TakeUnflushed();
        tracker.Record("t1", "isp:a", time.GetUtcNow().UtcTicks);

        tracker.Restore(failed);
        time.Advance(HalfLife);
        var next = tracker.TakeUnflushed();

        Assert.Equal(1, next.Counts.Single(c => c.Region == PopularityCount.Global).Score, 9);
        Assert.Equal(1, next.Counts.Single(c => c.Region == "isp:a").Score, 9);
    }
}
