using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>Viewers of one title in one network exchange segments over WebRTC data channels; the edge stays the reliable source.</summary>
[Collection(PeerFleetCollection.Name)]
public sealed class PeerDeliveryTests(PeerFleet fleet)
{
    /// <summary>In a page before its scripts: every binary data-channel message it sends has one byte flipped.</summary>
    private const string CorruptUploads = """
        const send = RTCDataChannel.prototype.send;
        RTCDataChannel.prototype.send = function (data) {
          if (data instanceof ArrayBuffer && data.byteLength > 200) {
            const copy = new Uint8Array(data.slice(0));
            copy[100] ^= 0xff;
            return send.call(this, copy.buffer);
          }
          return send.call(this, data);
        };
        """;

    /// <summary>In a page before its scripts: the first binary send on a data channel throws, as a full or closing channel's does.</summary>
    private const string FirstUploadThrows = """
        const send = RTCDataChannel.prototype.send;
        let thrown = false;
        RTCDataChannel.prototype.send = function (data) {
          if (data instanceof ArrayBuffer && !thrown) {
            thrown = true;
            throw new DOMException('the send queue is full', 'OperationError');
          }
          return send.call(this, data);
        };
        """;

    /// <summary>In a page before its scripts: counts the RTCPeerConnections the page makes.</summary>
    private const string CountPeerConnections = """
        window.peerConnectionsMade = 0;
        const Original = window.RTCPeerConnection;
        window.RTCPeerConnection = function (...args) {
          window.peerConnectionsMade++;
          return new Original(...args);
        };
        window.RTCPeerConnection.prototype = Original.prototype;
        """;

    [Fact]
    public async Task AViewerWhoOptsOut_NeverJoinsTheSwarmNorOpensAPeerConnection_AndTheChoiceIsRemembered()
    {
        await using var viewer = await fleet.OpenAsync(nameof(AViewerWhoOptsOut_NeverJoinsTheSwarmNorOpensAPeerConnection_AndTheChoiceIsRemembered));
        var page = viewer.Page;
        await page.Context.AddInitScriptAsync(CountPeerConnections);
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await page.SignInAsViewerAsync();
        var sharing = page.GetByLabel("Share with nearby viewers");
        await Assertions.Expect(sharing).ToBeCheckedAsync(); // on unless the viewer turns it off

        await sharing.UncheckAsync();
        await page.ReloadAsync();
        await Assertions.Expect(sharing).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Play {PeerFleet.TitleName}" }).ClickAsync();
        await viewer.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(30));

        Assert.Empty(sockets);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.peerConnectionsMade"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.opencdn.session.peers === null"));
        Assert.Empty((await viewer.EventLogAsync()).Errors());
    }

    [Fact]
    public async Task LaterViewers_TakeMostOfTheirMediaFromPeers_WithTheEdgesBytes_AndNoMoreStalls()
    {
        const string test = nameof(LaterViewers_TakeMostOfTheirMediaFromPeers_WithTheEdgesBytes_AndNoMoreStalls);
        // One after the other, each pausing once it holds the whole title (paused, it still serves its peers): three
        // pages decoding at once on a small machine would make dash.js drop quality for dropped frames, not for peers.
        // Each on the top rung (see OnTheTopRungBufferingTheWholeTitle for why not ABR's choice).
        await using var first = await fleet.OpenAsync(test + "-first");
        await using var second = await fleet.OpenAsync(test + "-second");
        await using var third = await fleet.OpenAsync(test + "-third");
        foreach (var viewer in new[] { first, second, third })
        {
            await viewer.Page.PlayAsViewerAsync(PeerFleet.TitleName);
            await viewer.Page.WaitForFunctionAsync(DashOnTheTopRung, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
            await WaitBufferedToEndAsync(viewer);
            await viewer.WaitForPlaybackAsync(4, TimeSpan.FromSeconds(30));
            await viewer.Page.EvaluateAsync("() => document.getElementById('video').pause()");
        }

        var firstPeers = await PeersAsync(first);
        Assert.Equal(0, firstPeers.GetProperty("stats").GetProperty("peerBytes").GetInt64());
        var firstStalls = (await first.EventLogAsync()).OfKind("stallStart").Count();
        foreach (var later in new[] { second, third })
        {
            var peers = await PeersAsync(later);
            var stats = peers.GetProperty("stats");
            var fromPeers = stats.GetProperty("peerBytes").GetInt64();
            var fromServers = stats.GetProperty("serverBytes").GetInt64();
            Assert.True(fromPeers >= (fromPeers + fromServers) / 2.0,
                $"{later.Artifacts}: {fromPeers} media bytes from peers, {fromServers} from the edge: {stats.GetRawText()}");
            await AssertSameBytesAsTheEdgeAsync(peers);
            var log = await later.EventLogAsync();
            Assert.Empty(log.Errors());
            Assert.True(log.OfKind("stallStart").Count() <= firstStalls, "no more stalls than the viewer that had no peers");
            await later.Page.EvaluateAsync("() => window.opencdn.session.qoe.send(false)");
        }
        await AssertReportedAsync();
    }

    [Fact]
    public async Task LaterShakaViewers_TakeMostOfTheirMediaFromPeers_ExactlyTheRangesAsked_WithTheEdgesBytes()
    {
        const string test = nameof(LaterShakaViewers_TakeMostOfTheirMediaFromPeers_ExactlyTheRangesAsked_WithTheEdgesBytes);
        await using var first = await fleet.OpenAsync(test + "-first");
        await using var second = await fleet.OpenAsync(test + "-second");
        foreach (var viewer in new[] { first, second })
        {
            await viewer.Page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(await fleet.ManifestUrlAsync())}");
            await viewer.Page.WaitForFunctionAsync("() => window.opencdn?.player?.getVariantTracks().some((t) => t.active)");
            await viewer.Page.EvaluateAsync(OnTheTopRungBufferingTheWholeTitle);
            try
            {
                await viewer.Page.WaitForFunctionAsync(
                    ShakaBufferedToEnd, null, new PageWaitForFunctionOptions { Timeout = 90_000, PollingInterval = 250 });
            }
            catch (TimeoutException e)
            {
                // What the player saw (switches, peers, decode or append errors) is the diagnosis: put it in the failure.
                throw new TimeoutException($"{viewer.Artifacts}: not buffered to the end in 90 s; events: {await viewer.EventLogAsync()}", e);
            }
            await viewer.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(30));
            await viewer.Page.EvaluateAsync("() => window.opencdn.video.pause()");
        }

        var peers = await PeersAsync(second, "window.opencdn.peers");
        var stats = peers.GetProperty("stats");
        var fromPeers = stats.GetProperty("peerBytes").GetInt64();
        var fromServers = stats.GetProperty("serverBytes").GetInt64();
        var firstHeld = await first.Page.EvaluateAsync<int>("() => window.opencdn.peers.store.keys().length");
        Assert.True(fromPeers >= (fromPeers + fromServers) / 2.0,
            $"{second.Artifacts}: {fromPeers} media bytes from peers, {fromServers} from the edge: {stats.GetRawText()}; "
            + $"the first viewer held {firstHeld} segments");
        await AssertSameBytesAsTheEdgeAsync(peers);
        Assert.Empty((await second.EventLogAsync()).Errors()); // an MSE append of wrong bytes would show as a video error
    }

    [Fact]
    public async Task APeerSendingCorruptBytes_IsCaughtByHash_Dropped_AndPlaybackContinuesFromTheEdge()
    {
        const string test = nameof(APeerSendingCorruptBytes_IsCaughtByHash_Dropped_AndPlaybackContinuesFromTheEdge);
        // Both on the top rung, so the victim asks the liar for what it holds (ABR under load may pick other rungs).
        await using var liar = await fleet.OpenAsync(test + "-liar");
        await liar.Page.Context.AddInitScriptAsync(CorruptUploads);
        await liar.Page.PlayAsViewerAsync(PeerFleet.TitleName);
        await liar.Page.WaitForFunctionAsync(DashOnTheTopRung, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        await WaitBufferedToEndAsync(liar);
        var badBefore = await ControlPlaneCounterAsync("opencdn_peer_bad_segments_total");

        await using var victim = await fleet.OpenAsync(test + "-victim");
        await victim.Page.PlayAsViewerAsync(PeerFleet.TitleName);
        await victim.Page.WaitForFunctionAsync(DashOnTheTopRung, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        await WaitBufferedToEndAsync(victim);
        await victim.WaitForPlaybackAsync(6, TimeSpan.FromSeconds(30));

        var peers = await PeersAsync(victim);
        var log = await victim.EventLogAsync();
        Assert.True(peers.GetProperty("stats").GetProperty("badSegments").GetInt32() >= 1, peers.GetRawText());
        Assert.Contains(log.OfKind("peerDropped"), e => e.GetProperty("reason").GetString() == "bad-hash");
        Assert.Equal(0, peers.GetProperty("stats").GetProperty("peerBytes").GetInt64());
        await AssertSameBytesAsTheEdgeAsync(peers);
        Assert.DoesNotContain(log.Errors(), e => e.Contains("\"source\":\"video\"", StringComparison.Ordinal));
        Assert.True(await ControlPlaneCounterAsync("opencdn_peer_bad_segments_total") > badBefore, "the control plane counted the report");
    }

    [Fact]
    public async Task AnUploadThatThrows_EndsItsLink_AndTheAskingViewerPlaysOnFromTheEdge()
    {
        const string test = nameof(AnUploadThatThrows_EndsItsLink_AndTheAskingViewerPlaysOnFromTheEdge);
        await using var uploader = await fleet.OpenAsync(test + "-uploader");
        await uploader.Page.Context.AddInitScriptAsync(FirstUploadThrows);
        await uploader.Page.PlayAsViewerAsync(PeerFleet.TitleName);
        await uploader.Page.WaitForFunctionAsync(DashOnTheTopRung, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        await WaitBufferedToEndAsync(uploader);

        await using var asking = await fleet.OpenAsync(test + "-asking");
        await asking.Page.PlayAsViewerAsync(PeerFleet.TitleName);
        await asking.Page.WaitForFunctionAsync(DashOnTheTopRung, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        await WaitBufferedToEndAsync(asking);
        await asking.WaitForPlaybackAsync(6, TimeSpan.FromSeconds(30));

        var closed = (await uploader.EventLogAsync()).OfKind("peerClosed").Select(e => e.GetProperty("reason").GetString()).ToList();
        Assert.Contains(closed, reason => reason!.StartsWith("upload failed", StringComparison.Ordinal));
        await AssertSameBytesAsTheEdgeAsync(await PeersAsync(asking));
        Assert.DoesNotContain((await asking.EventLogAsync()).Errors(), e => e.Contains("\"source\":\"video\"", StringComparison.Ordinal));
    }

    /// <summary>The beacons' peer bytes reach /metrics, the peer stats and the admin console.</summary>
    private async Task AssertReportedAsync()
    {
        using var admin = await fleet.Platform.AdminAsync();
        var stats = await Eventually.ValueAsync(
            () => admin.GetFromJsonAsync<JsonElement>("/api/v1/stats/peers"), s => s.GetProperty("peerBytes").GetInt64() > 0,
            "QoE beacons reported peer bytes", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250), s => s.GetRawText());
        Assert.Contains(stats.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("peerShare").GetDouble() >= 0.5);
        Assert.True(await ControlPlaneCounterAsync("opencdn_peer_media_bytes_total{source=\"peer\"}") > 0);
        await using var console = await fleet.OpenAsync(nameof(AssertReportedAsync) + "-console");
        await console.Page.SignInAsAdminAsync("/admin/");
        await Assertions.Expect(console.Page.Locator("#peers-summary")).ToContainTextAsync("Peers delivered");
    }

    /// <summary>Every media segment the player used hashes to what the edge's own file holds in that range.</summary>
    private async Task AssertSameBytesAsTheEdgeAsync(JsonElement peers)
    {
        var delivered = peers.GetProperty("delivered").EnumerateArray()
            .Select(d => (Key: d.GetProperty("key").GetString()!, Sha256: d.GetProperty("sha256").GetString()!)).ToList();
        Assert.NotEmpty(delivered);
        var reference = await fleet.ReferenceHashesAsync(delivered.Select(d => d.Key));
        Assert.All(delivered, d => Assert.Equal(reference[d.Key], d.Sha256));
    }

    private static async Task WaitBufferedToEndAsync(PageSession session) =>
        await session.Page.WaitForFunctionAsync("() => window.opencdn?.session?.bufferHealth().toEnd === true", null,
            new PageWaitForFunctionOptions { Timeout = 90_000, PollingInterval = 250 });

    /// <summary>
    /// Both Shaka viewers on the top rung, each buffering the whole (short) title, so the first holds every segment the
    /// second asks for without playing it through. Which rungs ABR would pass through depends on timing: a peer's answer
    /// is no sample of the network, so a later viewer climbs only as fast as its server downloads let it, and on a busy
    /// machine two viewers may hold different rungs (bench/peers measures peer delivery with ABR on); here the point is
    /// the peers' ranges and bytes.
    /// The top rung is selected (with the buffer cleared) only when it is not the active one: Shaka 5 reselecting the
    /// active rung with a clear while it still fetches that rung's index (ABR switched to it a moment before) starts a
    /// second update loop on the video buffer; both append each segment and each moves the one iterator on, so every
    /// other segment is skipped and the title is never buffered to the end.
    /// </summary>
    private const string OnTheTopRungBufferingTheWholeTitle = """
        () => {
          const player = window.opencdn.player;
          player.configure({ abr: { enabled: false }, streaming: { bufferingGoal: 60 } });
          const audio = player.getVariantTracks().find((t) => t.active).audioId;
          const top = player.getVariantTracks().filter((t) => t.audioId === audio).reduce((a, b) => (b.bandwidth > a.bandwidth ? b : a));
          if (!top.active) player.selectVariantTrack(top, true);
        }
        """;

    /// <summary>dash.js's ABR off and the top video rung chosen, once the stream has its representations; true when done.</summary>
    private const string DashOnTheTopRung = """
        () => {
          const player = window.opencdn?.session?.player;
          let rungs;
          try { rungs = player?.getRepresentationsByType('video'); } catch { return false; }
          if (!rungs?.length) return false;
          player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: false } } } });
          const top = rungs.reduce((best, r, i) => (r.bandwidth > rungs[best].bandwidth ? i : best), 0);
          player.setRepresentationForTypeByIndex('video', top, true);
          return true;
        }
        """;

    private const string ShakaBufferedToEnd = """
        () => {
          const v = window.opencdn?.video;
          return v && v.buffered.length > 0 && Number.isFinite(v.duration) && v.buffered.end(v.buffered.length - 1) >= v.duration - 0.5;
        }
        """;

    private static async Task<JsonElement> PeersAsync(PageSession session, string agent = "window.opencdn.session.peers") =>
        JsonDocument.Parse(await session.Page.EvaluateAsync<string>(
            $"() => JSON.stringify({{ stats: {agent}.stats, delivered: {agent}.delivered }})")).RootElement;

    private async Task<double> ControlPlaneCounterAsync(string name)
    {
        var metrics = await fleet.Platform.Http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
