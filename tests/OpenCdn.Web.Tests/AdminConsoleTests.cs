using System.Globalization;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class AdminConsoleTests(WebPlatform web)
{
    [Fact]
    public async Task Upload_ThroughThePage_ReachesFullProgress_AndTheTitleTurnsReady()
    {
        var master = await Ffmpeg.GenerateMasterAsync(web.Masters.Combine("through-the-page.mp4"), 640, 360, "25", 6, audioChannels: 2);
        await using var session = await web.OpenAsync(nameof(Upload_ThroughThePage_ReachesFullProgress_AndTheTitleTurnsReady));
        var page = session.Page;
        await page.SignInAsAdminAsync("/admin/");
        var progressSeen = new List<int>();
        await page.ExposeFunctionAsync("reportProgress", (string value) => progressSeen.Add(int.Parse(value, CultureInfo.InvariantCulture)));
        await page.EvaluateAsync(
            "() => new MutationObserver(() => window.reportProgress(document.getElementById('upload-progress').value.toString()))"
            + ".observe(document.getElementById('upload-progress'), { attributes: true })");

        await page.UploadThroughConsoleAsync("Uploaded in the browser", master);

        Assert.Equal(100, await page.EvaluateAsync<int>("() => document.getElementById('upload-progress').value"));
        Assert.Contains(100, progressSeen);
        var row = page.Locator("#titles-table tbody tr", new() { HasText = "Uploaded in the browser" });
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#upload-percent")).ToHaveTextAsync("100 %");
    }
}
