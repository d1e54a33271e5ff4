using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Tests.Playback;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>
/// An edge is a partly trusted host: what it holds opens its own URLs only, an admin can revoke it at once, and what it
/// or a viewer sends never writes the URLs the control plane hands out.
/// </summary>
public sealed class EdgeTrustTests : IAsyncLifetime
{
    private readonly PlaybackBed _bed = new();
    private string _title = "";
    private PlaybackBed.Edge _near = null!;
    private PlaybackBed.Edge _ix = null!;
    private List<SigningKey> _nearKeys = [];
    private List<SigningKey> _ixKeys = [];

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        _near = await _bed.EnrollAsync(PlaybackBed.Embedded("near", "127.0.80.0/24"));
        _ix = await _bed.EnrollAsync(PlaybackBed.Ix("ix", 52.37, 4.89));
        _nearKeys = KeysOf(await PlaybackBed.BeatAsync(_near, [_title]));
        _ixKeys = KeysOf(await PlaybackBed.BeatAsync(_ix, [_title]));
        await _bed.SyncAsync();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task EachBaseUrl_CarriesATokenOnlyItsServerAccepts()
    {
        var tokens = Tokens(await PlayAsync());

        Assert.Equal([_near.Id, _ix.Id, "origin"], tokens.Keys);
        Assert.Equal(3, tokens.Values.Distinct().Count());
        Assert.Equal(TokenCheck.Valid, Check(tokens[_near.Id], _nearKeys));
        Assert.Equal(TokenCheck.Valid, Check(tokens[_ix.Id], _ixKeys));
        Assert.Equal(TokenCheck.BadSignature, Check(tokens[_ix.Id], _nearKeys));
        Assert.Equal(TokenCheck.BadSignature, Check(tokens[_near.Id], _ixKeys));
        Assert.Equal(TokenCheck.BadSignature, Check(tokens["origin"], _nearKeys));
    }

    [Fact]
    public async Task ALeakedEdgeKey_OpensNothingOnAnotherEdgeOrOnOrigin()
    {
        var forged = DeliveryToken.Issue(_nearKeys[0], _title, _bed.App.Clock.GetUtcNow().AddHours(1));
        using var player = _bed.App.CreateClient();

        using var atOrigin = await player.GetAsync($"/o/{forged}/{_title}/v1/video_240p.mp4");
        using var genuine = await player.GetAsync($"/o/{Tokens(await PlayAsync())["origin"]}/{_title}/v1/video_240p.mp4");

        Assert.Equal(HttpStatusCode.Forbidden, atOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(TokenCheck.BadSignature, Check(forged, _ixKeys));
        Assert.Equal(TokenCheck.Valid, Check(forged, _nearKeys)); // it opens its own edge, which is what it was for
    }

    [Fact]
    public async Task PeerTokensInAFillPlan_OpenOnlyThePeerTheyName()
    {
        var newcomer = await _bed.EnrollAsync(PlaybackBed.Embedded("newcomer", "127.0.81.0/24"));
        var newcomerKeys = KeysOf(await PlaybackBed.BeatAsync(newcomer, []));
        await _bed.SyncAsync();

        var plan = await newcomer.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{newcomer.Id}/fill-plan");
        var peer = plan.GetProperty("items")[0].GetProperty("sources").EnumerateArray()
            .First(s => s.GetProperty("kind").GetString() is "peer" or "Peer");
        var token = peer.GetProperty("token").GetString();

        Assert.Equal("http://near.edges.test:8080/", peer.GetProperty("baseUrl").GetString());
        Assert.Equal(TokenCheck.Valid, PeerToken.Check(token, _title, _bed.App.Clock.GetUtcNow(), Ring(_nearKeys)));
        Assert.Equal(TokenCheck.BadSignature, PeerToken.Check(token, _title, _bed.App.Clock.GetUtcNow(), Ring(newcomerKeys)));
        Assert.NotEqual(TokenCheck.Valid, Check(token, _nearKeys)); // not a viewer token either
    }

    [Fact]
    public async Task RevokedEdge_LosesItsCredentialAndItsPlaceAtOnce_AndCanBeRemoved()
    {
        using var admin = await _bed.App.AdminAsync();
        Assert.Contains(_near.Id, PlaybackBed.ServerIds(await PlayAsync()));

        using var revoke = await admin.PostAsync($"/api/v1/edges/{_near.Id}/revoke", null);
        using var heartbeat = await _near.Client.PostAsJsonAsync($"/api/v1/edges/{_near.Id}/heartbeat", new { }, JsonSerializerOptions.Web);
        using var plan = await _near.Client.GetAsync($"/api/v1/edges/{_near.Id}/fill-plan");
        await _bed.SyncAsync(); // the next snapshot, as the timer would publish it within a second
        var servers = PlaybackBed.ServerIds(await PlayAsync());
        var view = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges")).EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == _near.Id);
        using var delete = await admin.DeleteAsync($"/api/v1/edges/{_near.Id}");
        var remaining = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges")).EnumerateArray().Select(e => e.GetProperty("id").GetString());
        using var deleteAgain = await admin.DeleteAsync($"/api/v1/edges/{_near.Id}");
        using var revokeUnknown = await admin.PostAsync("/api/v1/edges/e000000000000/revoke", null);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, plan.StatusCode);
        Assert.DoesNotContain(_near.Id, servers);
        Assert.Equal("revoked", view.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.DoesNotContain(_near.Id, remaining);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokeUnknown.StatusCode);
    }

    [Fact]
    public async Task ARevokedHost_CannotEnrolAgain_WithTheBootstrapTokenItCameWith()
    {
        using var admin = await _bed.App.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 5 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var host = _bed.App.WithBearer(bootstrap);
        using var first = await host.PostAsJsonAsync(
            "/api/v1/edges/register", PlaybackBed.Embedded("stolen", "127.0.84.0/24"), JsonSerializerOptions.Web);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("edgeId").GetString();

        using var revoke = await admin.PostAsync($"/api/v1/edges/{id}/revoke", null);
        using var again = await host.PostAsJsonAsync(
            "/api/v1/edges/register", PlaybackBed.Embedded("stolen", "127.0.84.0/24"), JsonSerializerOptions.Web);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task RevokingAPeer_GivesEveryOtherEdgeANewPlanWithoutIt()
    {
        var newcomer = await _bed.EnrollAsync(PlaybackBed.Embedded("newcomer", "127.0.81.0/24"));
        var before = (await PlaybackBed.BeatAsync(newcomer, [])).GetProperty("fillPlanVersion").GetInt32();
        await _bed.SyncAsync();
        var planned = (await PlaybackBed.BeatAsync(newcomer, [])).GetProperty("fillPlanVersion").GetInt32();
        var sourcesBefore = await SourceNamesAsync(newcomer);
        using var admin = await _bed.App.AdminAsync();

        using var revoke = await admin.PostAsync($"/api/v1/edges/{_near.Id}/revoke", null);
        await _bed.SyncAsync();
        var after = (await PlaybackBed.BeatAsync(newcomer, [])).GetProperty("fillPlanVersion").GetInt32();
        var sourcesAfter = await SourceNamesAsync(newcomer);

        Assert.True(planned >= 1 && planned >= before);
        Assert.Contains("near", sourcesBefore);
        Assert.True(after > planned, $"plan version {planned} → {after}");
        Assert.DoesNotContain("near", sourcesAfter);
    }

    private static async Task<List<string?>> SourceNamesAsync(PlaybackBed.Edge edge)
    {
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        return [.. plan.GetProperty("items")[0].GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString())];
    }

    [Fact]
    public async Task ARevocationByAnotherInstance_ReachesThisOnesSteeringAtTheNextSync()
    {
        var edges = _bed.App.Services.GetRequiredService<EdgeStore>();

        Assert.True(await edges.RevokeAsync(_ix.Id, CancellationToken.None)); // as another instance would: in the database only
        await _bed.SyncAsync();

        Assert.DoesNotContain(_ix.Id, PlaybackBed.ServerIds(await PlayAsync()));
    }

    [Fact]
    public async Task TheHostHeader_NeverWritesAUrl()
    {
        using var viewer = await _bed.ViewerFromAsync("127.0.80.4");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/playback/{_title}");
        request.Headers.Host = "evil.example";

        using var response = await viewer.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var player = _bed.App.CreateClient();
        var manifestUrl = body.GetProperty("manifestUrl").GetString()!;
        using var mpdRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(manifestUrl).PathAndQuery);
        mpdRequest.Headers.Host = "evil.example";
        var mpd = await (await player.SendAsync(mpdRequest)).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(_bed.BaseUrl.AbsoluteUri, manifestUrl, StringComparison.Ordinal);
        Assert.StartsWith(_bed.BaseUrl.AbsoluteUri, body.GetProperty("steeringUrl").GetString(), StringComparison.Ordinal);
        Assert.Contains(_bed.BaseUrl.AbsoluteUri + "o/", mpd, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mpd, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OriginTokens_AreAcceptedSpelledOneWayOnly()
    {
        var parts = Tokens(await PlayAsync())["origin"].Split('.');
        using var player = _bed.App.CreateClient();

        foreach (var expiry in new[] { "0" + parts[1], "+" + parts[1], "%2B" + parts[1] })
        {
            using var response = await player.GetAsync($"/o/{parts[0]}.{expiry}.{parts[2]}/{_title}/v1/video_240p.mp4");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{expiry}: {response.StatusCode}");
        }
    }

    private async Task<JsonElement> PlayAsync()
    {
        using var viewer = await _bed.ViewerFromAsync("127.0.80.4");
        var (status, body) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>Each server's token, by server id, in rank order: the path segment after <c>/c/</c> or <c>/o/</c>.</summary>
    private static Dictionary<string, string> Tokens(JsonElement playback) =>
        playback.GetProperty("servers").EnumerateArray().ToDictionary(
            s => s.GetProperty("id").GetString()!,
            s => new Uri(s.GetProperty("baseUrl").GetString()!).AbsolutePath.Split('/')[2]);

    private TokenCheck Check(string? token, List<SigningKey> keys) => DeliveryToken.Check(token, _title, _bed.App.Clock.GetUtcNow(), Ring(keys));

    private static Func<string, SigningKey?> Ring(List<SigningKey> keys) => id => keys.FirstOrDefault(k => k.Id == id);

    private static List<SigningKey> KeysOf(JsonElement heartbeatResponse) =>
        heartbeatResponse.GetProperty("signingKeys").Deserialize<List<SigningKey>>(JsonSerializerOptions.Web)!;
}
