using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Peers.Bench;

/// <summary>
/// Viewers in one headless Chromium, a browser context each (their own storage and peer connections): each signs in,
/// presses Play one second after the one before, and plays until its buffer reaches the end of the title.
/// </summary>
internal sealed class Crowd : IAsyncDisposable
{
    private static readonly TimeSpan Stagger = TimeSpan.FromSeconds(1);
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Uri _site;
    private readonly Uri _edgeMetrics;
    private readonly string _title;
    private readonly HttpClient _http = new();

    private Crowd(IPlaywright playwright, IBrowser browser, Uri site, Uri edge, string title)
    {
        (_playwright, _browser, _site, _title) = (playwright, browser, site, title);
        _edgeMetrics = new Uri(edge, "/metrics");
    }

    public static async Task<Crowd> LaunchAsync(Uri site, Uri edge, string title)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
        });
        return new Crowd(playwright, browser, site, edge, title);
    }

    public async Task<CrowdResult> PlayAsync(int viewers, bool peers)
    {
        var before = await EdgeContentBytesAsync();
        var contexts = new List<IBrowserContext>();
        var pages = new List<IPage>();
        try
        {
            for (var i = 0; i < viewers; i++)
            {
                var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _site.AbsoluteUri });
                contexts.Add(context);
                // The viewer's own switch (the page's "Share with nearby viewers"), as the page stores it.
                await context.AddInitScriptAsync(peers ? "localStorage.removeItem('opencdn.peers')" : "localStorage.setItem('opencdn.peers', 'off')");
                var page = await context.NewPageAsync();
                pages.Add(page);
                var started = DateTime.UtcNow;
                await page.GotoAsync("/");
                await page.GetByLabel("User name").FillAsync("viewer");
                await page.GetByLabel("Password").FillAsync(PlatformProcesses.ViewerPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = $"Play {_title}" }).ClickAsync();
                var left = Stagger - (DateTime.UtcNow - started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left);
                }
            }
            foreach (var page in pages)
            {
                await page.WaitForFunctionAsync("() => window.opencdn.session?.bufferHealth().toEnd === true", null,
                    new PageWaitForFunctionOptions { Timeout = 180_000, PollingInterval = 500 });
            }
            long peerBytes = 0, serverBytes = 0, stalls = 0;
            foreach (var page in pages)
            {
                var sample = JsonDocument.Parse(await page.EvaluateAsync<string>("""
                    () => JSON.stringify({ stats: window.opencdn.session.peers?.stats ?? null,
                      stalls: window.opencdn.session.log.entries.filter((e) => e.event === 'stallStart').length })
                    """)).RootElement;
                stalls += sample.GetProperty("stalls").GetInt32();
                if (sample.GetProperty("stats") is { ValueKind: JsonValueKind.Object } stats)
                {
                    peerBytes += stats.GetProperty("peerBytes").GetInt64();
                    serverBytes += stats.GetProperty("serverBytes").GetInt64();
                }
            }
            return new CrowdResult(peers, (long)(await EdgeContentBytesAsync() - before), peerBytes, serverBytes, stalls);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>The edge's content egress so far: <c>opencdn_edge_served_bytes_total{route="content"}</c>.</summary>
    private async Task<double> EdgeContentBytesAsync()
    {
        const string name = "opencdn_edge_served_bytes_total{route=\"content\"} ";
        var metrics = await _http.GetStringAsync(_edgeMetrics);
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[name.Length..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _http.Dispose();
    }
}

/// <summary>One round of viewers: the edge's egress, the players' own byte counts by source (peers on), and stalls.</summary>
internal sealed record CrowdResult(bool Peers, long EdgeBytes, long PeerBytes, long ServerBytes, long Stalls)
{
    public double PeerShare => PeerBytes + ServerBytes == 0 ? 0 : (double)PeerBytes / (PeerBytes + ServerBytes);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"edge egress {EdgeBytes / 1e6:0.0} MB; players: {PeerBytes / 1e6:0.0} MB from peers, "
        + $"{ServerBytes / 1e6:0.0} MB from servers; stalls {Stalls}");
}
