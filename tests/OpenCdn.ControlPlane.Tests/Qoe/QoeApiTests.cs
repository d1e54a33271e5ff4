using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.ControlPlane.Tests.Playback;

namespace OpenCdn.ControlPlane.Tests.Qoe;

/// <summary>Player beacons: who may send them, what is refused, and where they add up (stats API and /metrics).</summary>
public sealed class QoeApiTests : IAsyncLifetime
{
    private readonly PlaybackBed _bed = new();
    private string _title = "";
    private string _session = "";

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        await _bed.SyncAsync();
        using var viewer = await _bed.ViewerFromAsync("127.0.0.1");
        var (status, playback) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        _session = playback.GetProperty("sessionId").GetString()!;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private object Beacon(
        double? startupMs = 640, double[]? stallsMs = null, string server = "origin", string? session = null, string? title = null) => new
        {
            sessionId = session ?? _session,
            titleId = title ?? _title,
            server,
            startupMs,
            stallsMs = stallsMs ?? [],
            bitrateSwitches = 2,
            throughputKbps = 12_000,
            bitrateKbps = 1_200,
        };

    [Fact]
    public async Task Beacons_FromAPlaybackSession_AddUpPerServerAndTitle_InTheStatsAndMetrics()
    {
        using var anonymous = _bed.App.CreateClient();

        using var first = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(startupMs: 640));
        using var second = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(startupMs: null, stallsMs: [300, 2500]));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var admin = await _bed.App.AdminAsync();
        var report = await admin.GetFromJsonAsync<JsonElement>("/api/v1/stats/qoe");
        var origin = report.GetProperty("byServer").GetProperty("origin");
        var title = report.GetProperty("byTitle").GetProperty(_title);
        Assert.Equal(2, origin.GetProperty("beacons").GetInt64());
        Assert.Equal(1, title.GetProperty("plays").GetInt64());
        Assert.Equal(640, title.GetProperty("meanStartupMs").GetDouble());
        Assert.Equal([0, 0, 1, 0, 0, 0, 0], title.GetProperty("startupBuckets").EnumerateArray().Select(b => b.GetInt64()));
        Assert.Equal(2, origin.GetProperty("stalls").GetInt64());
        Assert.Equal(2800, origin.GetProperty("stallMs").GetDouble());
        Assert.Equal([0, 1, 0, 0, 1, 0, 0], origin.GetProperty("stallBuckets").EnumerateArray().Select(b => b.GetInt64()));
        Assert.Equal(4, origin.GetProperty("bitrateSwitches").GetInt64());
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Contains("opencdn_qoe_startup_seconds_count{server=\"origin\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("opencdn_qoe_stall_seconds_count{server=\"origin\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beacons_FromAForgedSession_AnotherTitle_OrAServerTheSessionWasNotGiven_Return403()
    {
        using var anonymous = _bed.App.CreateClient();
        var other = await _bed.AddReadyTitleAsync();

        using var forged = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(session: "eHl6.AAAAAAAAAAAAAAAAAAAAAA"));
        using var wrongTitle = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(title: other));
        using var wrongServer = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(server: "some-edge"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongTitle.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongServer.StatusCode);
    }

    [Fact]
    public async Task Beacons_OutOfBounds_Return400NamingTheField_AndAnOversizedBodyIsRefused()
    {
        using var anonymous = _bed.App.CreateClient();

        using var negative = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(startupMs: -1));
        using var tooManyStalls = await anonymous.PostAsJsonAsync("/api/v1/qoe", Beacon(stallsMs: [.. Enumerable.Repeat(10.0, 101)]));
        using var oversized = await anonymous.PostAsync("/api/v1/qoe", new StringContent(
            $"{{\"sessionId\":\"{new string('a', 20_000)}\"}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.True((await negative.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("startupMs", out _));
        Assert.Equal(HttpStatusCode.BadRequest, tooManyStalls.StatusCode);
        Assert.True((await tooManyStalls.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("stallsMs", out _));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
    }

    [Fact]
    public async Task QoeStats_AreForAdminsOnly()
    {
        using var viewer = await _bed.App.ViewerAsync();

        using var response = await viewer.GetAsync("/api/v1/stats/qoe");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
