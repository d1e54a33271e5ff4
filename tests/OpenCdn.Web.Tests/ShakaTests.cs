using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ShakaTests(WebPlatform web)
{
    [Fact]
    public async Task ShakaPlayer_PlaysTheSameMpdPastEightSeconds()
    {
        await using var session = await web.OpenAsync(nameof(ShakaPlayer_PlaysTheSameMpdPastEightSeconds));
        var page = session.Page;
        var manifestUrl = (await web.PlaybackAsync()).GetProperty("manifestUrl").GetString()!;

        await page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(manifestUrl)}");
        await session.WaitForPlaybackAsync(8, TimeSpan.FromSeconds(60));

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Shaka Player");
    }
}
