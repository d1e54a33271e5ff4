using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.ControlPlane.Stats;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Stats;

/// <summary>
/// The steering and QoE statistics are the fleet's: they survive a restart, and every instance on one catalog shows the
/// sum of what all of them counted (each instance's part reaches the database by its flush timer, or when it stops).
/// </summary>
public sealed class FleetStatsTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Stats_AfterARestartOnSqlite_KeepEveryDecisionAndBeaconCountedBefore()
    {
        using var data = new TempFolder();
        var settings = new Dictionary<string, string> { ["OpenCdn:DataFolder"] = data.Path };
        string title;
        await using (var before = new PlaybackBed(settings))
        {
            title = await before.AddReadyTitleAsync();
            await before.SyncAsync();
            var sessions = await PlayAsync(before, title, times: 3);
            await PlayUnknownAsync(before);
            await BeaconAsync(before, sessions[0], title, startupMs: 640, stallsMs: [300, 2500]);
            await BeaconAsync(before, sessions[1], title, startupMs: 1500, stallsMs: []);
        }

        await using var after = new PlaybackBed(settings);
        var steering = await after.SteeringStatsAsync();
        var qoe = await QoeAsync(after);
        await after.SyncAsync();
        await PlayAsync(after, title, times: 1);
        var steeringThen = await after.SteeringStatsAsync();

        Assert.Equal(3, steering.GetProperty("decisions").GetInt64());
        Assert.Equal(3, steering.GetProperty("other").GetInt64());
        Assert.Equal(1, steering.GetProperty("unknownTitles").GetInt64());
        Assert.Equal(1.0, steering.GetProperty("shares").GetProperty("other").GetDouble());
        var byTitle = qoe.GetProperty("byTitle").GetProperty(title);
        Assert.Equal(2, byTitle.GetProperty("beacons").GetInt64());
        Assert.Equal(2, byTitle.GetProperty("plays").GetInt64());
        Assert.Equal(1070, byTitle.GetProperty("meanStartupMs").GetDouble());
        Assert.Equal([0, 0, 1, 1, 0, 0, 0], Longs(byTitle.GetProperty("startupBuckets")));
        Assert.Equal([0, 1, 0, 0, 1, 0, 0], Longs(qoe.GetProperty("byServer").GetProperty("origin").GetProperty("stallBuckets")));
        Assert.Equal(2, qoe.GetProperty("total").GetProperty("beacons").GetInt64());
        Assert.Equal(4, steeringThen.GetProperty("decisions").GetInt64()); // what this instance has not flushed yet counts too
    }

    [Fact]
    public async Task Stats_OfTwoInstancesOnOnePostgres_ShowTheSumOnEither()
    {
        using var data = new TempFolder(); // the keys and origin the instances share
        var settings = new Dictionary<string, string>
        {
            ["OpenCdn:DataFolder"] = data.Path,
            ["ConnectionStrings:Catalog"] = await postgres.CreateDatabaseAsync(),
            ["OpenCdn:Stats:FlushInterval"] = FlushInterval.ToString(),
        };
        await using var a = new PlaybackBed(settings);
        var title = await a.AddReadyTitleAsync();
        await a.SyncAsync();
        // b starts after the title exists: its first sync loads the whole catalog (each instance's fake clock stands
        // still at its own start, so b's later syncs could miss a row a wrote with an older time).
        await using var b = new PlaybackBed(settings);

        var onA = await PlayAsync(a, title, times: 2);
        var onB = await PlayAsync(b, title, times: 3);
        await PlayUnknownAsync(b);
        await BeaconAsync(a, onA[0], title, startupMs: 400, stallsMs: [1200]);
        await BeaconAsync(b, onB[0], title, startupMs: 3000, stallsMs: []);
        await BeaconAsync(b, onB[1], title, startupMs: 200, stallsMs: [100, 9000]);
        a.App.Clock.Advance(FlushInterval); // a's flush timer fires; b's part is still only in b's memory
        var steeringOnB = await Eventually.ValueAsync(b.SteeringStatsAsync, s => s.GetProperty("decisions").GetInt64() == 5,
            "b shows a's flushed decisions and its own", describe: s => s.GetRawText());
        var qoeOnB = await Eventually.ValueAsync(() => QoeAsync(b), q => q.GetProperty("total").GetProperty("beacons").GetInt64() == 3,
            "b shows a's flushed beacons and its own", describe: q => q.GetRawText());
        b.App.Clock.Advance(FlushInterval);
        var steeringOnA = await Eventually.ValueAsync(a.SteeringStatsAsync, s => s.GetProperty("decisions").GetInt64() == 5,
            "a shows b's flushed decisions and its own", describe: s => s.GetRawText());
        var qoeOnA = await Eventually.ValueAsync(() => QoeAsync(a), q => q.GetProperty("total").GetProperty("beacons").GetInt64() == 3,
            "a shows b's flushed beacons and its own", describe: q => q.GetRawText());

        foreach (var steering in new[] { steeringOnA, steeringOnB })
        {
            Assert.Equal(5, steering.GetProperty("other").GetInt64());
            Assert.Equal(1, steering.GetProperty("unknownTitles").GetInt64());
        }
        foreach (var qoe in new[] { qoeOnA, qoeOnB })
        {
            var total = qoe.GetProperty("total");
            Assert.Equal(3, total.GetProperty("plays").GetInt64());
            Assert.Equal(1200, total.GetProperty("meanStartupMs").GetDouble()); // (400 + 3000 + 200) / 3: from sums, not means of means
            Assert.Equal([1, 1, 0, 0, 1, 0, 0], Longs(total.GetProperty("startupBuckets")));
            Assert.Equal([1, 0, 0, 1, 0, 0, 1], Longs(total.GetProperty("stallBuckets")));
            Assert.Equal(10_300, total.GetProperty("stallMs").GetDouble());
            Assert.Equal(3, qoe.GetProperty("byTitle").GetProperty(title).GetProperty("beacons").GetInt64());
        }
        var steeringOnBNow = await b.SteeringStatsAsync();
        Assert.Equal(5, steeringOnBNow.GetProperty("decisions").GetInt64()); // flushed once, counted once
    }

    [Fact]
    public async Task Stats_FlushedOnStop_AreNotCountedTwiceByTheNextFlush()
    {
        using var data = new TempFolder();
        var settings = new Dictionary<string, string> { ["OpenCdn:DataFolder"] = data.Path };
        await using (var bed = new PlaybackBed(settings))
        {
            var title = await bed.AddReadyTitleAsync();
            await bed.SyncAsync();
            var sessions = await PlayAsync(bed, title, times: 2);
            await BeaconAsync(bed, sessions[0], title, startupMs: 640, stallsMs: []);
            await bed.App.Services.GetRequiredService<SteeringTotals>().FlushAsync(CancellationToken.None);
            await bed.App.Services.GetRequiredService<QoeTotals>().FlushAsync(CancellationToken.None);
            await PlayAsync(bed, title, times: 1);
        }

        await using var after = new PlaybackBed(settings);

        Assert.Equal(3, (await after.SteeringStatsAsync()).GetProperty("decisions").GetInt64());
        Assert.Equal(1, (await QoeAsync(after)).GetProperty("total").GetProperty("beacons").GetInt64());
    }

    [Fact]
    public void FlushInterval_OutOfRange_StopsTheStartWithTheKeyNamed()
    {
        using var app = new ControlPlaneApp(new Dictionary<string, string> { ["OpenCdn:Stats:FlushInterval"] = "00:00:00.001" }, realSockets: false);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("OpenCdn:Stats:FlushInterval must be between 100 ms and 1 hour", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Plays the title <paramref name="times"/> times from 127.0.0.1 (no edge covers it: outcome "other"); returns the
    /// session ids.
    /// </summary>
    private static async Task<string[]> PlayAsync(PlaybackBed bed, string title, int times)
    {
        using var viewer = await bed.ViewerFromAsync("127.0.0.1");
        var sessions = new string[times];
        for (var i = 0; i < times; i++)
        {
            var (status, playback) = await PlaybackBed.PlayAsync(viewer, title);
            Assert.Equal(HttpStatusCode.OK, status);
            sessions[i] = playback.GetProperty("sessionId").GetString()!;
        }
        return sessions;
    }

    private static async Task PlayUnknownAsync(PlaybackBed bed)
    {
        using var viewer = await bed.ViewerFromAsync("127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, (await PlaybackBed.PlayAsync(viewer, "0000000000000000")).Status);
    }

    private static async Task BeaconAsync(PlaybackBed bed, string session, string title, double startupMs, double[] stallsMs)
    {
        using var anonymous = bed.App.CreateClient();
        using var response = await anonymous.PostAsJsonAsync("/api/v1/qoe", new
        {
            sessionId = session,
            titleId = title,
            server = "origin",
            startupMs,
            stallsMs,
            bitrateSwitches = 1,
            throughputKbps = 8000,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<JsonElement> QoeAsync(PlaybackBed bed)
    {
        using var admin = await bed.App.AdminAsync();
        return await admin.GetFromJsonAsync<JsonElement>("/api/v1/stats/qoe");
    }

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];
}
