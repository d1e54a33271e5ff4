using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Popularity;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Popularity;

public sealed class PopularityTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static (PopularityTracker Tracker, FakeTimeProvider Time) Tracker(TimeSpan halfLife, double defaultBoost = 0)
    {
        var time = new FakeTimeProvider(Start);
        return (new PopularityTracker(new PopularityOptions { HalfLife = halfLife, DefaultLaunchBoost = defaultBoost }, time), time);
    }

    private static void Plays(PopularityTracker tracker, FakeTimeProvider time, string title, string region, int count)
    {
        for (var i = 0; i < count; i++)
        {
            tracker.Record(title, region, time.GetUtcNow().UtcTicks);
        }
    }

    [Fact]
    public void Score_HalvesEveryHalfLife()
    {
        var (tracker, time) = Tracker(TimeSpan.FromHours(6));
        Plays(tracker, time, "t1", "isp:a", 8);

        Assert.Equal(8, tracker.Snapshot().Global("t1"), 9);
        time.Advance(TimeSpan.FromHours(6));
        Assert.Equal(4, tracker.Snapshot().Global("t1"), 9);
        time.Advance(TimeSpan.FromHours(12));
        var view = tracker.Snapshot();
        Assert.Equal(1, view.Global("t1"), 9);
        Assert.Equal(1, view.Regional("isp:a", "t1"), 9);
        Assert.Equal(0, view.Regional("isp:b", "t1"));
    }

    [Fact]
    public void Decay_DecidesBetweenOldAndRecentPlays()
    {
        // 10 plays three days ago against 3 plays now: with a 1-day half-life the old ones are worth 1.25.
        var (shortMemory, shortTime) = Tracker(TimeSpan.FromDays(1));
        var (longMemory, longTime) = Tracker(TimeSpan.FromDays(10));
        foreach (var (tracker, time) in new[] { (shortMemory, shortTime), (longMemory, longTime) })
        {
            Plays(tracker, time, "old-hit", "r", 10);
            time.Advance(TimeSpan.FromDays(3));
            Plays(tracker, time, "new-hit", "r", 3);
        }

        var shortView = shortMemory.Snapshot();
        var longView = longMemory.Snapshot();

        Assert.True(shortView.Global("new-hit") > shortView.Global("old-hit"));
        Assert.True(longView.Global("old-hit") > longView.Global("new-hit"));
    }

    [Fact]
    public void LaunchBoost_FadesWithItsOwnHalfLife()
    {
        var (tracker, time) = Tracker(TimeSpan.FromDays(1), defaultBoost: 40);
        var launched = Title("new", 1, launched: Start);
        var custom = Title("custom", 1, boost: 100, launched: Start);

        Assert.Equal(40, tracker.Snapshot().Boost(launched), 9);
        Assert.Equal(100, tracker.Snapshot().Boost(custom), 9);
        time.Advance(TimeSpan.FromDays(2)); // the default boost half-life
        Assert.Equal(20, tracker.Snapshot().Boost(launched), 9);
    }

    [Fact]
    public void AScoreFadedUnderForgetBelow_IsForgottenAtTheNextSnapshot_SoPlansStopPayingForIt()
    {
        var (tracker, time) = Tracker(TimeSpan.FromHours(1));
        Plays(tracker, time, "old", "r", 1);
        time.Advance(TimeSpan.FromHours(6)); // 1/64 of a play: still above the 0.01 floor
        var kept = tracker.Snapshot();
        Assert.Equal(1.0 / 64, kept.Regional("r", "old"), 9);
        Assert.Equal(1.0 / 64, kept.Global("old"), 9);

        time.Advance(TimeSpan.FromHours(1)); // 1/128: under it
        var faded = tracker.Snapshot();

        Assert.Empty(faded.RegionalScores("r"));
        Assert.Equal(0, faded.Global("old"));
        Plays(tracker, time, "old", "r", 1); // a new play counts from scratch
        Assert.Equal(1, tracker.Snapshot().Regional("r", "old"), 9);
    }

    [Fact]
    public void ManyHalfLivesLater_ScoresStayFinite_AndFadedTitlesAreForgotten()
    {
        var (tracker, time) = Tracker(TimeSpan.FromMinutes(1));
        Plays(tracker, time, "faded", "r", 1000);
        for (var step = 0; step < 10; step++)
        {
            time.Advance(TimeSpan.FromMinutes(100));
            Plays(tracker, time, "steady", "r", 1);
            var view = tracker.Snapshot();
            Assert.True(double.IsFinite(view.Global("steady")));
        }

        var last = tracker.Snapshot();
        Assert.Equal(0, last.Global("faded"));
        Assert.Equal(1, last.Global("steady"), 6);
    }

    [Fact]
    public void Record_BeyondMaxPending_DropsAndCounts()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = new PopularityTracker(new PopularityOptions { MaxPending = 5 }, time); // room for 8

        Plays(tracker, time, "t1", "r", 11);

        Assert.Equal(3, tracker.Dropped);
        Assert.Equal(8, tracker.Snapshot().Global("t1"), 9);
        Plays(tracker, time, "t1", "r", 8); // the ring wrapped: room again after the fold
        Assert.Equal(16, tracker.Snapshot().Global("t1"), 9);
        Assert.Equal(3, tracker.Dropped);
    }

    [Fact]
    public void Record_FromManyThreads_LosesNothing_AndAllocatesNothing()
    {
        var (tracker, time) = Tracker(TimeSpan.FromDays(1));
        var now = time.GetUtcNow().UtcTicks;
        tracker.Record("warm", "r", now);
        Assert.Equal(0, Allocations.Fewest(() => tracker.Record("warm", "r", now)));

        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                tracker.Record(i % 2 == 0 ? "t1" : "t2", "r", now);
            }
        });

        var view = tracker.Snapshot();
        Assert.Equal(0, tracker.Dropped);
        Assert.Equal(40_000, view.Global("t1"), 6);
        Assert.Equal(40_000, view.Regional("r", "t2"), 6);
    }

    [Fact]
    public void Decisions_AreCountedInTheClientsRegion()
    {
        var fleet = new FleetFixture().Titles("t1");
        fleet.Add(Edge("a", EdgeSiteKind.Embedded, ["10.0.0.0/8"], isp: "acme"), holds: ["t1"]);
        fleet.Publish();

        fleet.Decide("t1", "10.0.0.1");
        fleet.Decide("t1", "192.0.2.1");
        var view = fleet.Popularity.Snapshot();

        Assert.Equal(1, view.Regional("isp:acme", "t1"), 9);
        Assert.Equal(2, view.Global("t1"), 9);
    }
}
