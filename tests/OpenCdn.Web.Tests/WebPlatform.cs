using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// What the browser tests share: the real control plane and ingest worker, Chromium, and one ready title long enough
/// for ABR to show (a 60-second 480p master: 480p, 360p and 240p rungs).
/// </summary>
public sealed class WebPlatform : IAsyncLifetime
{
    private readonly TempFolder _masters = new();

    public PlatformProcesses Platform { get; } = new();

    public Browser Browser { get; private set; } = null!;

    public string TitleId { get; private set; } = null!;

    public TempFolder Masters => _masters;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("feature.mp4"), 854, 480, "25", 60, audioChannels: 2);
        using var admin = await Platform.AdminAsync();
        TitleId = await admin.UploadAsync("Feature film", master);
        var title = await admin.WaitForOutcomeAsync(TitleId, TimeSpan.FromMinutes(4));
        Assert.Equal("ready", title.Status());
    }

    /// <summary>A fresh browser context and page, recording into the test's artifact folder.</summary>
    public async Task<PageSession> OpenAsync(string testName)
    {
        var context = await Browser.Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = Platform.BaseUrl.AbsoluteUri, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        return new PageSession(context, page, testName);
    }

    /// <summary>
    /// A manifest URL that plays without a token. Until the playback API is in this branch: the admin preview MPD,
    /// fetched here with the admin token and answered to the page at a tokenless URL of the control plane.
    /// </summary>
    public async Task<string> ManifestUrlAsync(IPage page)
    {
        using var admin = await Platform.AdminAsync();
        var mpd = await admin.GetStringAsync($"/api/v1/titles/{TitleId}/manifest.mpd");
        var url = new Uri(Platform.BaseUrl, $"/test-session/{TitleId}/manifest.mpd").AbsoluteUri;
        await page.RouteAsync(url, route => route.FulfillAsync(new() { Body = mpd, ContentType = "application/dash+xml" }));
        return url;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        await Platform.DisposeAsync();
        _masters.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebPlatform>
{
    public const string Name = "web";
}
