using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OpenCdn.Contracts.Peers;
using OpenCdn.ControlPlane.Tests.Playback;

namespace OpenCdn.ControlPlane.Tests.Peers;

/// <summary>
/// The peer signalling socket on real sockets: viewers are told apart by source address, and introduced only within one
/// client network (an announced prefix), one title and version, up to the peer limit; only SDP and ICE are relayed.
/// </summary>
public sealed class SignallingTests : IAsyncLifetime
{
    private readonly PlaybackBed _bed = new(new Dictionary<string, string>
    {
        ["OpenCdn:Peers:Enabled"] = "true",
        ["OpenCdn:Peers:MaxPeers"] = "2",
    });
    private string _title = "";

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        var ispA = await _bed.EnrollAsync(PlaybackBed.Embedded("isp-a", "127.0.81.0/24"));
        var ispB = await _bed.EnrollAsync(PlaybackBed.Embedded("isp-b", "127.0.82.0/24"));
        await PlaybackBed.BeatAsync(ispA, [_title]);
        await PlaybackBed.BeatAsync(ispB, [_title]);
        await _bed.SyncAsync();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task ViewersInDifferentIsps_AreNeverIntroduced_ViewersInOneAre()
    {
        await using var a1 = await JoinAsync("127.0.81.5");
        await using var b1 = await JoinAsync("127.0.82.5");
        await using var a2 = await JoinAsync("127.0.81.6");
        await using var b2 = await JoinAsync("127.0.82.6");
        await using var nowhere = await JoinAsync("127.0.99.1");

        Assert.Empty(a1.Welcome.Peers!);
        Assert.Empty(b1.Welcome.Peers!);
        Assert.Equal([a1.Welcome.Peer!], a2.Welcome.Peers!);
        Assert.Equal([b1.Welcome.Peer!], b2.Welcome.Peers!);
        Assert.Empty(nowhere.Welcome.Peers!);
    }

    [Fact]
    public async Task ASignal_IsRelayedBetweenIntroducedViewers_Only_AndOnlyItsSdp()
    {
        await using var a1 = await JoinAsync("127.0.81.10");
        await using var a2 = await JoinAsync("127.0.81.11");
        await using var b1 = await JoinAsync("127.0.82.10");

        await a2.SendAsync(new { type = "signal", peer = a1.Welcome.Peer, sdp = new { type = "offer", sdp = "v=0 test", extra = "dropped" } });
        var relayed = await a1.ReceiveAsync();
        await b1.SendAsync(new { type = "signal", peer = a1.Welcome.Peer, sdp = new { type = "offer", sdp = "v=0 from another isp" } });

        Assert.NotNull(relayed);
        Assert.Equal(PeerMessage.Signal, relayed.Type);
        Assert.Equal(a2.Welcome.Peer, relayed.Peer);
        Assert.Equal(new SessionDescription("offer", "v=0 test"), relayed.Sdp);
        Assert.True(await a1.QuietAsync(TimeSpan.FromMilliseconds(500)), "a viewer of another ISP cannot reach it");
    }

    [Fact]
    public async Task AViewer_IsIntroducedToAtMostMaxPeers_AndPeersHearWhenOneLeaves()
    {
        await using var first = await JoinAsync("127.0.81.20");
        await using var second = await JoinAsync("127.0.81.21");
        await using var third = await JoinAsync("127.0.81.22");
        await using var fourth = await JoinAsync("127.0.81.23");

        Assert.Equal(2, third.Welcome.Peers!.Count);
        Assert.DoesNotContain(first.Welcome.Peer, fourth.Welcome.Peers!); // first already has two peers
        await second.DisposeAsync();
        var left = await first.ReceiveAsync();
        Assert.NotNull(left);
        Assert.Equal((PeerMessage.Left, second.Welcome.Peer), (left.Type, left.Peer));
    }

    [Fact]
    public async Task ASecondSocketOfOneSession_ReplacesTheFirst_WhichIsClosedWithTheReason_AndItsPeersHearItLeft()
    {
        await using var other = await JoinAsync("127.0.81.50");
        var session = await SessionAsync("127.0.81.51");
        await using var first = await SignalClient.JoinAsync(_bed.BaseUrl, "127.0.81.51", session);
        await using var second = await SignalClient.JoinAsync(_bed.BaseUrl, "127.0.81.51", session);

        Assert.Null(await first.ReceiveAsync()); // closed by the server
        Assert.Equal(PeerMessage.ReplacedCloseStatus, (int)first.Socket.CloseStatus!);
        Assert.Contains("replaced", first.Socket.CloseStatusDescription, StringComparison.Ordinal);
        var left = await other.ReceiveAsync();
        Assert.Equal((PeerMessage.Left, first.Welcome.Peer), (left!.Type, left.Peer));
        Assert.Equal([other.Welcome.Peer!], first.Welcome.Peers!);
        Assert.Equal([other.Welcome.Peer!], second.Welcome.Peers!); // the newer socket takes the place, with a new id
        Assert.NotEqual(first.Welcome.Peer, second.Welcome.Peer);
    }

    [Fact]
    public async Task AMessageThatIsNeitherSdpNorIce_ClosesTheSocketWithPolicyViolation()
    {
        await using var viewer = await JoinAsync("127.0.81.30");

        await viewer.SendAsync(new { type = "chat", text = "hello" });

        Assert.Null(await viewer.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, viewer.Socket.CloseStatus);
    }

    [Fact]
    public async Task Config_CarriesTheSegmentHashes_AndAForgedSessionOrAPlainRequestIsRefused()
    {
        var session = await SessionAsync("127.0.81.40");
        using var http = new HttpClient { BaseAddress = _bed.BaseUrl };

        var config = await http.GetFromJsonAsync<JsonElement>($"/api/v1/peers/{session}");
        using var forged = await http.GetAsync($"/api/v1/peers/{session}x");
        using var plain = await http.GetAsync($"/api/v1/peers/{session}/signal");

        Assert.Equal(2, config.GetProperty("maxPeers").GetInt32());
        Assert.StartsWith("ws://", config.GetProperty("signalUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task WhenPeersAreOff_TheEndpointsAnswer404()
    {
        await using var off = new PlaybackBed();
        var title = await off.AddReadyTitleAsync();
        await off.SyncAsync();
        using var viewer = await off.ViewerFromAsync("127.0.0.1");
        var (_, playback) = await PlaybackBed.PlayAsync(viewer, title);
        using var http = new HttpClient { BaseAddress = off.BaseUrl };

        using var response = await http.GetAsync($"/api/v1/peers/{playback.GetProperty("sessionId").GetString()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("off", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> SessionAsync(string source)
    {
        using var viewer = await _bed.ViewerFromAsync(source);
        var (status, body) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("sessionId").GetString()!;
    }

    private async Task<SignalClient> JoinAsync(string source) => await SignalClient.JoinAsync(_bed.BaseUrl, source, await SessionAsync(source));
}
