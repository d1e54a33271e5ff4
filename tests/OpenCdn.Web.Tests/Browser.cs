using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

/// <summary>Debian's Chromium driven by Playwright for .NET (its bundled node driver; no browser download).</summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        Playwright = playwright;
        Chromium = chromium;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>
    /// A fresh browser context and page on <paramref name="baseUrl"/>, recording into the test's artifact folder. It accepts
    /// the test edges' self-signed certificates.
    /// </summary>
    public async Task<PageSession> OpenAsync(Uri baseUrl, string testName)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.AbsoluteUri,
            ViewportSize = new() { Width = 1280, Height = 900 },
            IgnoreHTTPSErrors = true,
        });
        return new PageSession(context, await context.NewPageAsync(), testName);
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        Playwright.Dispose();
    }
}
