using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ViewerTests(WebPlatform web)
{
    [Fact]
    public async Task SignedIn_PlaysATitlePastEightSeconds_WithNoPlayerError_AndReportsQoe()
    {
        await using var session = await web.OpenAsync(nameof(SignedIn_PlaysATitlePastEightSeconds_WithNoPlayerError_AndReportsQoe));
        var page = session.Page;

        await page.PlayAsViewerAsync(WebPlatform.TitleName);
        await session.WaitForPlaybackAsync(8, TimeSpan.FromSeconds(60));

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
        Assert.NotEmpty(log.OfKind("firstFrame"));
        await Assertions.Expect(page.Locator("[data-stat=server]")).ToHaveTextAsync("origin");
        await Assertions.Expect(page.Locator("[data-stat=resolution]")).ToContainTextAsync("×");
        var qoe = await QoeForTitleAsync();
        Assert.True(qoe.GetProperty("plays").GetInt64() >= 1, qoe.GetRawText());
        Assert.True(qoe.GetProperty("meanStartupMs").GetDouble() > 0);
    }

    [Fact]
    public async Task StatsOverlay_CanBeHiddenAndShownAgain()
    {
        await using var session = await web.OpenAsync(nameof(StatsOverlay_CanBeHiddenAndShownAgain));
        var page = session.Page;
        await page.PlayAsViewerAsync(WebPlatform.TitleName);
        var overlay = page.GetByLabel("Playback statistics");
        await Assertions.Expect(overlay).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Hide stats" }).ClickAsync();
        await Assertions.Expect(overlay).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show stats" }).ClickAsync();
        await Assertions.Expect(overlay).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AdminPreview_PlaysFromOrigin_WithoutASession()
    {
        await using var session = await web.OpenAsync(nameof(AdminPreview_PlaysFromOrigin_WithoutASession));

        await session.Page.SignInAsAdminAsync($"/?preview={web.TitleId}");
        await session.WaitForPlaybackAsync(3, TimeSpan.FromSeconds(60));

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
        Assert.All(log.OfKind("fragment"), f => Assert.Equal("origin", f.GetProperty("server").GetString()));
        await Assertions.Expect(session.Page.GetByText("Preview from origin")).ToBeVisibleAsync();
    }

    private async Task<JsonElement> QoeForTitleAsync()
    {
        using var admin = await web.Platform.AdminAsync();
        var report = await Eventually.ValueAsync(() => admin.GetFromJsonAsync<JsonElement>("/api/v1/stats/qoe"),
            report => report.GetProperty("byTitle").TryGetProperty(web.TitleId, out _), $"the QoE report has title {web.TitleId}",
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250), report => report.GetRawText());
        return report.GetProperty("byTitle").GetProperty(web.TitleId);
    }
}
