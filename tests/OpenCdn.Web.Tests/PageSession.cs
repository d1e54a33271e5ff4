using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

/// <summary>
/// One test's browser page. Its console output is kept, and on dispose a screenshot, the console and the player's
/// event log (<c>window.opencdn.session.log</c> or <c>window.opencdn.log</c>) are saved under
/// <c>{test output}/artifacts/{test}/</c> for a person to look at.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly IBrowserContext _context;
    private readonly List<string> _console = [];

    public PageSession(IBrowserContext context, IPage page, string testName)
    {
        _context = context;
        Page = page;
        Artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts", testName);
        Directory.CreateDirectory(Artifacts);
        page.Console += (_, message) => _console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _console.Add($"pageerror: {error}");
    }

    public IPage Page { get; }

    public string Artifacts { get; }

    public IReadOnlyList<string> Console => _console;

    /// <summary>The player's event log as JSON (an empty array when the page has none).</summary>
    public async Task<JsonElement> EventLogAsync() =>
        JsonDocument.Parse(await Page.EvaluateAsync<string>(
            "() => JSON.stringify(window.opencdn?.session?.log?.entries ?? window.opencdn?.log?.entries ?? [])")).RootElement;

    /// <summary>
    /// Records, from now on, the URL of every response the page receives and the protocol Chromium used for it ("h2",
    /// "http/1.1"), as Chromium's DevTools protocol reports it.
    /// </summary>
    public async Task<IReadOnlyCollection<(string Url, string Protocol)>> RecordProtocolsAsync()
    {
        var responses = new ConcurrentQueue<(string Url, string Protocol)>();
        var devTools = await _context.NewCDPSessionAsync(Page);
        devTools.Event("Network.responseReceived").OnEvent += (_, received) =>
        {
            if (received?.GetProperty("response") is { } response)
            {
                responses.Enqueue((response.GetProperty("url").GetString()!, response.GetProperty("protocol").GetString()!));
            }
        };
        await devTools.SendAsync("Network.enable");
        return responses;
    }

    public async Task<double> CurrentTimeAsync() => await Page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");

    /// <summary>Waits until the video's currentTime passes <paramref name="seconds"/>.</summary>
    public Task WaitForPlaybackAsync(double seconds, TimeSpan timeout) =>
        Page.WaitForFunctionAsync(
            $"() => document.getElementById('video').currentTime > {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 250 });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "page.png"), FullPage = true });
            var log = await EventLogAsync();
            await File.WriteAllTextAsync(Path.Combine(Artifacts, "player-events.json"), JsonSerializer.Serialize(log, Indented));
        }
        catch (PlaywrightException)
        {
            // The page is gone (the browser crashed): what was captured so far still gets written below.
        }
        await File.WriteAllLinesAsync(Path.Combine(Artifacts, "console.txt"), _console);
        await _context.DisposeAsync();
    }
}
