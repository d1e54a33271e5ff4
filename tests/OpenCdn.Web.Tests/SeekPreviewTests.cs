using System.Text.Json;
using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

/// <summary>
/// Trick play in the browser: hovering the seek bar makes the player (dash.js provideThumbnail, Shaka getThumbnails)
/// name a cell of a thumbnail tile from the MPD's DASH-IF image set, and the page shows it, fetched from the session's
/// server. The shared title is 60 s long, so halfway (30 s) is thumbnail 7 of tile 1: 7 x 160 px from the left.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SeekPreviewTests(WebPlatform web)
{
    [Fact]
    public async Task DashJs_HoveringTheSeekBar_ShowsTheThumbnailFromTheSessionsServer()
    {
        await using var session = await web.OpenAsync(nameof(DashJs_HoveringTheSeekBar_ShowsTheThumbnailFromTheSessionsServer));
        var page = session.Page;
        await page.PlayAsViewerAsync(WebPlatform.TitleName);
        await session.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(60));
        var servers = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.opencdn.playback.servers)")).RootElement
            .EnumerateArray().Select(s => s.GetProperty("baseUrl").GetString()!).ToList();

        var tile = await HoverHalfwayAsync(page);

        Assert.Contains(servers, s => tile.Url.StartsWith(s, StringComparison.Ordinal));
        await AssertPreviewAsync(page, tile);
    }

    [Fact]
    public async Task Shaka_HoveringTheSeekBar_ShowsTheThumbnailFromTheSessionsServer()
    {
        await using var session = await web.OpenAsync(nameof(Shaka_HoveringTheSeekBar_ShowsTheThumbnailFromTheSessionsServer));
        var page = session.Page;
        var playback = await web.PlaybackAsync();
        var servers = playback.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("baseUrl").GetString()!).ToList();
        await page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(playback.GetProperty("manifestUrl").GetString()!)}");
        await session.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(60));

        var tile = await HoverHalfwayAsync(page);

        Assert.Contains(servers, s => tile.Url.StartsWith(s, StringComparison.Ordinal));
        await AssertPreviewAsync(page, tile);
    }

    /// <summary>Hovers the middle of the seek bar and returns the response for the thumbnail tile the page then loads.</summary>
    private static async Task<IResponse> HoverHalfwayAsync(IPage page)
    {
        var bar = page.GetByRole(AriaRole.Slider, new() { Name = "Seek" });
        var box = (await bar.BoundingBoxAsync())!;
        return await page.RunAndWaitForResponseAsync(
            () => bar.HoverAsync(new() { Position = new() { X = box.Width / 2, Y = box.Height / 2 } }),
            response => response.Url.Contains("/thumbs_1.jpg", StringComparison.Ordinal),
            new() { Timeout = 15_000 });
    }

    private static async Task AssertPreviewAsync(IPage page, IResponse tile)
    {
        Assert.Equal(200, tile.Status);
        Assert.Equal("image/jpeg", await tile.HeaderValueAsync("content-type"));
        var preview = page.GetByRole(AriaRole.Img, new() { Name = "Preview at 0:30" });
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await Assertions.Expect(preview).ToHaveCSSAsync("background-position", "-1120px 0px");
        await Assertions.Expect(preview).ToHaveCSSAsync("width", "160px");
        await Assertions.Expect(preview).ToHaveCSSAsync("height", "88px"); // the 854x480 master: 160 x 480 / 854, even
    }
}
