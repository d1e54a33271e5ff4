using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// Upload → transcode → push fill to two HTTPS edges → a viewer plays from an edge (over HTTP/2, answered by the edge's own
/// path), and keeps playing when it dies.
/// </summary>
[Collection(EdgeFleetCollection.Name)]
public sealed class EdgeJourneyTests(EdgeFleet fleet)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Id, string Name)? _title;

    [Fact]
    public async Task Journey_UploadInTheConsole_EdgesFill_ViewerPlaysFromAnEdgeOverHttp2_WhichServedTheBytes()
    {
        const string test = nameof(Journey_UploadInTheConsole_EdgesFill_ViewerPlaysFromAnEdgeOverHttp2_WhichServedTheBytes);
        var title = await TitleAsync(test);
        await using var session = await fleet.OpenAsync(test);
        var before = await Task.WhenAll(fleet.Edges.Select(EdgeFleet.ServedContentBytesAsync));
        var directBefore = await Task.WhenAll(fleet.Edges.Select(EdgeFleet.DirectTlsResponsesAsync));
        var protocols = await session.RecordProtocolsAsync();

        await session.Page.PlayAsViewerAsync(title.Name);
        await session.WaitForPlaybackAsync(8, TimeSpan.FromSeconds(60));

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
        var edgeIds = await Task.WhenAll(fleet.Edges.Select(fleet.EdgeIdAsync));
        var servers = log.OfKind("fragment").Select(f => f.GetProperty("server").GetString()).Distinct().ToList();
        var server = Assert.Single(servers);
        Assert.Contains(server, edgeIds);
        var servingIndex = Array.IndexOf(edgeIds, server);
        var serving = fleet.Edges[servingIndex];
        var after = await EdgeFleet.ServedContentBytesAsync(serving);
        Assert.True(after - before[servingIndex] > 100_000, $"the edge's own metrics show {after} bytes served");

        // The browser chose HTTP/2 for the edge (ALPN), and the edge answered its media requests on its own HTTP/2 path.
        var fromEdge = protocols.Where(r => r.Url.StartsWith(serving.BaseUrl.AbsoluteUri, StringComparison.Ordinal)).ToList();
        Assert.True(fromEdge.Count >= 4, $"{fromEdge.Count} responses from the edge");
        Assert.All(fromEdge, r => Assert.Equal("h2", r.Protocol));
        var direct = await EdgeFleet.DirectTlsResponsesAsync(serving) - directBefore[servingIndex];
        Assert.All(fromEdge, r => Assert.Contains("/c/", r.Url, StringComparison.Ordinal));
        Assert.True(direct >= fromEdge.Count, $"{direct} direct responses for {fromEdge.Count} media responses from the edge");

        // The seek bar's trick-play preview: the thumbnail tile was filled to the edges too, and comes under the token.
        var bar = session.Page.GetByRole(AriaRole.Slider, new() { Name = "Seek" });
        var box = (await bar.BoundingBoxAsync())!;
        var tile = await session.Page.RunAndWaitForResponseAsync(
            () => bar.HoverAsync(new() { Position = new() { X = box.Width / 4, Y = box.Height / 2 } }),
            response => response.Url.Contains("/thumbs_1.jpg", StringComparison.Ordinal));
        Assert.Equal((200, "image/jpeg"), (tile.Status, await tile.HeaderValueAsync("content-type")));
        Assert.StartsWith(serving.BaseUrl.AbsoluteUri.TrimEnd('/') + "/c/", tile.Url, StringComparison.Ordinal);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Img, new() { Name = "Preview at 0:10" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Failover_WhenThePlayingEdgeIsKilled_PlaybackContinuesFromTheOther_AndSteeringDropsTheDeadOne()
    {
        var title = await TitleAsync(nameof(Failover_WhenThePlayingEdgeIsKilled_PlaybackContinuesFromTheOther_AndSteeringDropsTheDeadOne));
        await using var session = await fleet.OpenAsync(
            nameof(Failover_WhenThePlayingEdgeIsKilled_PlaybackContinuesFromTheOther_AndSteeringDropsTheDeadOne));
        var page = session.Page;
        await page.PlayAsViewerAsync(title.Name);
        await session.WaitForPlaybackAsync(4, TimeSpan.FromSeconds(60));
        var edgeIds = await Task.WhenAll(fleet.Edges.Select(fleet.EdgeIdAsync));
        var first = (await session.EventLogAsync()).OfKind("fragment").Last().GetProperty("server").GetString()!;
        var victim = fleet.Edges[Array.IndexOf(edgeIds, first)];
        var survivorId = edgeIds.Single(id => id != first);

        await victim.KillAsync();
        try
        {
            var killedAt = await session.CurrentTimeAsync();
            await session.WaitForPlaybackAsync(killedAt + 12, TimeSpan.FromSeconds(60));

            var log = await session.EventLogAsync();
            var laterServers = log.OfKind("fragment").Select(f => f.GetProperty("server").GetString()).SkipWhile(s => s == first).ToList();
            Assert.NotEmpty(laterServers);
            Assert.All(laterServers, s => Assert.Equal(survivorId, s));
            Assert.True(log.OfKind("stallStart").Count() <= 1, "at most one stall");
            // Requests to the dead edge fail (dash.js reports them and moves on); the video element itself must not fail.
            Assert.DoesNotContain(log.Errors(), e => e.Contains("\"source\":\"video\"", StringComparison.Ordinal));
            await AssertSteeredAwayAsync(first, title.Id);
        }
        finally
        {
            await victim.StartAsync();
        }
    }

    private async Task AssertSteeredAwayAsync(string deadEdge, string titleId)
    {
        await Eventually.TrueAsync(
            async () => (await fleet.FleetAsync())
                .Single(e => e.GetProperty("id").GetString() == deadEdge).GetProperty("state").GetString() == "down",
            "the control plane marks the killed edge down", interval: TimeSpan.FromMilliseconds(250));
        using var viewer = await fleet.Platform.ViewerAsync();
        using var response = await viewer.PostAsync($"/api/v1/playback/{titleId}", null);
        var servers = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servers").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString());
        Assert.DoesNotContain(deadEdge, servers);
    }

    /// <summary>
    /// The title both tests play: uploaded in the console and filled to both edges by whichever test runs first (one
    /// 40-s encode and fill for the two; each test's own proof starts once the edges hold it).
    /// </summary>
    private async Task<(string Id, string Name)> TitleAsync(string testName)
    {
        await Gate.WaitAsync();
        try
        {
            _title ??= await UploadAndFillAsync("Journey", testName);
            return _title.Value;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<(string Id, string Name)> UploadAndFillAsync(string name, string testName)
    {
        var master = await Ffmpeg.GenerateMasterAsync(fleet.Masters.Combine($"{name}.mp4"), 854, 480, "25", 40, audioChannels: 2);
        await using (var console = await fleet.OpenAsync(testName + "-upload"))
        {
            await console.Page.SignInAsAdminAsync("/admin/");
            await console.Page.UploadThroughConsoleAsync(name, master);
        }
        using var admin = await fleet.Platform.AdminAsync();
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/titles")).EnumerateArray().Single(t => t.GetProperty("name").GetString() == name)
            .GetProperty("id").GetString()!;
        await fleet.WaitForFillAsync(id, TimeSpan.FromMinutes(2));
        return (id, name);
    }
}
