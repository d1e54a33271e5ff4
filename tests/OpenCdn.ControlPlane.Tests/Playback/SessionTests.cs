using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>What a session hands the player: its MPD, its steering manifest, and tokens that open its title only.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Dvb = "urn:dvb:dash:dash-extensions:2014-1";
    private readonly PlaybackBed _bed = new();
    private string _title = "";
    private PlaybackBed.Edge _near = null!;
    private PlaybackBed.Edge _ix = null!;

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        _near = await _bed.EnrollAsync(PlaybackBed.Embedded("near", "127.0.80.0/24"));
        _ix = await _bed.EnrollAsync(PlaybackBed.Ix("ix", 52.37, 4.89));
        await PlaybackBed.BeatAsync(_near, [_title]);
        await PlaybackBed.BeatAsync(_ix, [_title]);
        await _bed.SyncAsync();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task SessionMpd_IsValidXml_WithTheServersInRankOrder_AndAContentSteeringElement()
    {
        var playback = await StartAsync();
        using var player = _bed.App.CreateClient(); // no bearer token: the session id is the capability

        using var response = await player.GetAsync(playback.GetProperty("manifestUrl").GetString());
        var mpd = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        Assert.Equal("application/dash+xml", response.Content.Headers.ContentType!.MediaType);
        var baseUrls = mpd.Elements(Dash + "BaseURL").ToList();
        Assert.Equal([_near.Id, _ix.Id, "origin"], baseUrls.Select(b => b.Attribute("serviceLocation")!.Value));
        Assert.Equal(["1", "2", "3"], baseUrls.Select(b => b.Attribute(Dvb + "priority")!.Value));
        Assert.StartsWith("http://near.edges.test:8080/c/", baseUrls[0].Value, StringComparison.Ordinal);
        Assert.EndsWith($"/{_title}/v1/", baseUrls[0].Value, StringComparison.Ordinal);
        var steering = mpd.Element(Dash + "ContentSteering")!;
        Assert.Equal(_near.Id, steering.Attribute("defaultServiceLocation")!.Value);
        Assert.Equal(playback.GetProperty("steeringUrl").GetString(), steering.Value);
    }

    [Fact]
    public async Task SessionToken_OpensThisTitleOnly_UntilItExpires()
    {
        var playback = await StartAsync();
        var baseUrl = playback.GetProperty("servers")[0].GetProperty("baseUrl").GetString()!;
        var token = baseUrl.Split("/c/")[1].Split('/')[0];
        var keys = _bed.App.Services.GetRequiredService<DeliveryKeyRing>();
        var now = _bed.App.Clock.GetUtcNow();
        SigningKey? NearEdgesKey(string id) => keys.Find(DeliveryAudience.Edge(_near.Id), id);

        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, _title, now, NearEdgesKey));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "another-title", now, NearEdgesKey));
        Assert.Equal(TokenCheck.Expired, DeliveryToken.Check(token, _title, now.AddHours(9), NearEdgesKey));
    }

    [Fact]
    public async Task OriginFallback_ServesTheSessionsFiles_ByRange()
    {
        var playback = await StartAsync();
        var origin = playback.GetProperty("servers").EnumerateArray().Last();
        using var player = _bed.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, origin.GetProperty("baseUrl").GetString() + "video_240p.mp4");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);

        using var response = await player.SendAsync(request);

        Assert.Equal("origin", origin.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task SteeringManifest_ReRanksFromFreshHealth_AndKeepsAWorkingPathwayFirst()
    {
        var playback = await StartAsync();
        var steeringUrl = playback.GetProperty("steeringUrl").GetString()!;
        using var player = _bed.App.CreateClient();

        var fresh = await player.GetFromJsonAsync<JsonElement>($"{steeringUrl}?_DASH_pathway={_ix.Id}&_DASH_throughput=50000000");
        _bed.App.Clock.Advance(TimeSpan.FromSeconds(10));
        await PlaybackBed.BeatAsync(_ix, [_title]); // the IX edge keeps reporting; the embedded one went silent
        await _bed.SyncAsync();
        _bed.App.Clock.Advance(TimeSpan.FromSeconds(6));
        var later = await player.GetFromJsonAsync<JsonElement>(steeringUrl);

        Assert.Equal(1, fresh.GetProperty("VERSION").GetInt32());
        Assert.Equal(10, fresh.GetProperty("TTL").GetInt32());
        Assert.Equal(steeringUrl, fresh.GetProperty("RELOAD-URI").GetString());
        Assert.Equal([_ix.Id, _near.Id, "origin"], Pathways(fresh));
        Assert.Equal([_ix.Id, "origin"], Pathways(later));
    }

    [Fact]
    public async Task TwoViewersSteeredAlikeInOneSecond_HoldDifferentSessionIds_ThatBothWork()
    {
        var first = (await StartAsync()).GetProperty("sessionId").GetString();
        var second = (await StartAsync()).GetProperty("sessionId").GetString(); // same address, same fake-clock second
        using var player = _bed.App.CreateClient();

        using var firstMpd = await player.GetAsync($"/api/v1/playback/{first}/manifest.mpd");
        using var secondMpd = await player.GetAsync($"/api/v1/playback/{second}/manifest.mpd");

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, firstMpd.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondMpd.StatusCode);
    }

    [Fact]
    public async Task ForgedOrTamperedSessions_AreNotFound()
    {
        var playback = await StartAsync();
        var sessionId = playback.GetProperty("sessionId").GetString()!;
        var tampered = (sessionId[0] == 'A' ? "B" : "A") + sessionId[1..];
        using var player = _bed.App.CreateClient();

        using var forged = await player.GetAsync($"/api/v1/playback/{tampered}/manifest.mpd");
        using var garbage = await player.GetAsync("/api/v1/steering/not-a-session");
        _bed.App.Clock.Advance(TimeSpan.FromHours(9));
        using var expired = await player.GetAsync($"/api/v1/playback/{sessionId}/manifest.mpd");

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
    }

    private async Task<JsonElement> StartAsync()
    {
        using var viewer = await _bed.ViewerFromAsync("127.0.80.4");
        var (status, body) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private static string[] Pathways(JsonElement steering) =>
        [.. steering.GetProperty("PATHWAY-PRIORITY").EnumerateArray().Select(p => p.GetString()!)];
}
