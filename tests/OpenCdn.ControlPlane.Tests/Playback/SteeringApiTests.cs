using System.Net;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>Playback decisions over HTTP from real client addresses: prefixes, IX distance, misses, health and drains.</summary>
public sealed class SteeringApiTests : IAsyncLifetime
{
    private readonly PlaybackBed _bed = new();
    private string _title = "";

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        await _bed.SyncAsync();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Clients_AreSteeredByTheirSourceAddress_LongestPrefixFirst_ElseToTheNearestIx()
    {
        var wide = await _bed.EnrollAsync(PlaybackBed.Embedded("wide", "127.0.20.0/24"));
        var narrow = await _bed.EnrollAsync(PlaybackBed.Embedded("narrow", "127.0.20.128/25"));
        var other = await _bed.EnrollAsync(PlaybackBed.Embedded("other", "127.0.30.0/24", "::1/128"));
        var paris = await _bed.EnrollAsync(PlaybackBed.Ix("paris", 48.85, 2.35));
        foreach (var edge in new[] { wide, narrow, other, paris })
        {
            await PlaybackBed.BeatAsync(edge, [_title]);
        }
        await _bed.SyncAsync();

        var inNarrow = await PlayFromAsync("127.0.20.200");
        var inWide = await PlayFromAsync("127.0.20.7");
        var inOther = await PlayFromAsync("127.0.30.9");
        var overIpv6 = await PlayFromAsync("::1");
        var uncovered = await PlayFromAsync("127.0.99.1");

        Assert.Equal([narrow.Id, wide.Id, paris.Id, "origin"], inNarrow);
        Assert.Equal([wide.Id, paris.Id, "origin"], inWide);
        Assert.Equal([other.Id, paris.Id, "origin"], inOther);
        Assert.Equal([other.Id, paris.Id, "origin"], overIpv6);
        Assert.Equal([paris.Id, "origin"], uncovered);
    }

    [Fact]
    public async Task AnEdgeWithoutTheTitle_IsSkipped_AndCountedAsAContentMiss()
    {
        var empty = await _bed.EnrollAsync(PlaybackBed.Embedded("empty", "127.0.40.0/24"));
        var ix = await _bed.EnrollAsync(PlaybackBed.Ix("ix", 50.1, 8.7));
        await PlaybackBed.BeatAsync(empty, []);
        await PlaybackBed.BeatAsync(ix, [_title]);
        await _bed.SyncAsync();

        var servers = await PlayFromAsync("127.0.40.2");
        var stats = await _bed.SteeringStatsAsync();
        using var scraper = _bed.App.CreateClient();
        var metrics = await scraper.GetStringAsync("/metrics");

        Assert.Equal([ix.Id, "origin"], servers);
        Assert.Equal(1, stats.GetProperty("contentMisses").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("shares").GetProperty("contentMiss").GetDouble());
        Assert.Contains("opencdn_steering_decisions_total{outcome=\"content_miss\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASilentEdge_IsExcludedWithinThreeHeartbeatIntervals_AsAHealthMiss()
    {
        var edge = await _bed.EnrollAsync(PlaybackBed.Embedded("silent", "127.0.50.0/24"));
        await PlaybackBed.BeatAsync(edge, [_title]);
        await _bed.SyncAsync();
        var before = await PlayFromAsync("127.0.50.3");

        _bed.App.Clock.Advance(TimeSpan.FromSeconds(15.5)); // three 5-second intervals and a little
        var after = await PlayFromAsync("127.0.50.3");
        var stats = await _bed.SteeringStatsAsync();

        Assert.Equal([edge.Id, "origin"], before);
        Assert.Equal(["origin"], after);
        Assert.Equal(1, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("healthMisses").GetInt64());
    }

    [Fact]
    public async Task ADrainingEdge_GetsNoNewSessions_AndADegradedOneRanksLast()
    {
        var drained = await _bed.EnrollAsync(PlaybackBed.Embedded("drained", "127.0.60.0/24"));
        var busy = await _bed.EnrollAsync(PlaybackBed.Embedded("busy", "127.0.60.0/24"));
        var calm = await _bed.EnrollAsync(PlaybackBed.Ix("calm", 40.4, -3.7));
        await PlaybackBed.BeatAsync(drained, [_title]);
        await PlaybackBed.BeatAsync(busy, [_title], egressBitsPerSecond: 9_500_000_000); // 95 % of its 10 Gbit/s
        await PlaybackBed.BeatAsync(calm, [_title]);
        using var admin = await _bed.App.AdminAsync();
        using var drain = await admin.PostAsync($"/api/v1/edges/{drained.Id}/drain", null);
        await _bed.SyncAsync();

        var servers = await PlayFromAsync("127.0.60.8");

        Assert.Equal(HttpStatusCode.NoContent, drain.StatusCode);
        Assert.Equal([calm.Id, busy.Id, "origin"], servers);
    }

    [Fact]
    public async Task ForwardedFor_IsIgnoredUnlessTheProxyIsTrusted()
    {
        await using var proxied = new PlaybackBed(new Dictionary<string, string> { ["OpenCdn:Playback:TrustedProxies:0"] = "127.0.0.9" });
        var title = await proxied.AddReadyTitleAsync();
        var edge = await proxied.EnrollAsync(PlaybackBed.Embedded("behind", "127.0.70.0/24"));
        await PlaybackBed.BeatAsync(edge, [title]);
        await proxied.SyncAsync();
        using var viaProxy = await proxied.ViewerFromAsync("127.0.0.9");
        using var stranger = await proxied.ViewerFromAsync("127.0.0.10");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.70.5");
        stranger.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.70.5");

        var trusted = PlaybackBed.ServerIds((await PlaybackBed.PlayAsync(viaProxy, title)).Body);
        var spoofed = PlaybackBed.ServerIds((await PlaybackBed.PlayAsync(stranger, title)).Body);

        Assert.Equal([edge.Id, "origin"], trusted);
        Assert.Equal(["origin"], spoofed);
    }

    [Fact]
    public async Task Playback_OfAnUnknownTitle_Is404_AndNeedsAViewer()
    {
        using var viewer = await _bed.ViewerFromAsync("127.0.0.1");
        using var anonymous = _bed.App.CreateClient();

        var (status, body) = await PlaybackBed.PlayAsync(viewer, "no-such-title");
        using var unauthenticated = await anonymous.PostAsync($"/api/v1/playback/{_title}", null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("not ready", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    private async Task<string[]> PlayFromAsync(string source)
    {
        using var viewer = await _bed.ViewerFromAsync(source);
        var (status, body) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        return PlaybackBed.ServerIds(body);
    }
}
