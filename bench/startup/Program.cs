// Startup time through the full path on 127.0.0.1: the viewer page asks POST /api/v1/playback/{title}, dash.js loads
// the per-session MPD and the first segments, and the page itself records the time from the playback request to the
// first decoded frame (requestVideoFrameCallback). Each play uses a fresh browser context (cold HTTP cache).
// Usage: dotnet run -c Release --project bench/startup -- [plays]
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

var plays = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
const string TitleName = "Startup benchmark";

await using var platform = new PlatformLifetime();
Console.Error.WriteLine("Starting the control plane and a worker; transcoding a 20-s 720p master…");
await platform.Processes.InitializeAsync();
var master = await Ffmpeg.GenerateMasterAsync(Path.Combine(platform.Processes.Data.Path, "bench.mp4"), 1280, 720, "25", 20, audioChannels: 2);
using (var admin = await platform.Processes.AdminAsync())
{
    // An edge appliance serving 127.0.0.0/8, so plays take the full path: steering, the edge's token check and its bytes.
    using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
    var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    platform.Edge = await EdgeProcess.StartAsync("bench-edge", platform.Processes.BaseUrl, bootstrap, platform.Processes.BaseUrl);
    var id = await admin.UploadAsync(TitleName, master);
    var outcome = await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(5));
    if (outcome.Status() != "ready")
    {
        throw new InvalidOperationException($"The title did not become ready: {outcome}");
    }
    Console.Error.WriteLine("Waiting for the edge to fill the title…");
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (!(await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/edges"))!.Any(e =>
        e.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
        && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == id)))
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The edge did not fill the title within 2 minutes.");
        }
        await Task.Delay(500);
    }
    await Task.Delay(2000); // a sync pass: steering sees the edge's inventory
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
});

var startups = new List<double>();
var apiTimes = new List<double>();
var servers = new List<string>();
for (var i = 0; i < plays; i++)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Processes.BaseUrl.AbsoluteUri });
    var page = await context.NewPageAsync();
    await page.GotoAsync("/");
    await page.GetByLabel("User name").FillAsync("viewer");
    await page.GetByLabel("Password").FillAsync(PlatformProcesses.ViewerPassword);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.GetByRole(AriaRole.Button, new() { Name = $"Play {TitleName}" }).ClickAsync();
    await page.WaitForFunctionAsync(
        "() => window.opencdn.session?.log.entries.some(e => e.event === 'firstFrame')", null, new() { Timeout = 30_000 });
    var log = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.opencdn.session.log.entries)")).RootElement;
    var startup = log.EnumerateArray().First(e => e.GetProperty("event").GetString() == "firstFrame").GetProperty("startupMs").GetDouble();
    var api = log.EnumerateArray().First(e => e.GetProperty("event").GetString() == "load").GetProperty("atMs").GetDouble();
    var server = await page.EvaluateAsync<string>("() => window.opencdn.session.server ?? '?'");
    servers.Add(server);
    startups.Add(startup);
    apiTimes.Add(api);
    Console.Error.WriteLine($"play {i + 1,2}: first frame {startup,5:0} ms (playback API answered at {api,4:0} ms)");
}

Console.WriteLine(
    $"plays: {plays}; server playing the first frame (serviceLocation): "
    + string.Join(", ", servers.CountBy(s => s).Select(g => $"{g.Key} x{g.Value}")));
Console.WriteLine($"startup (playback request -> first frame): median {Percentile(startups, 50):0} ms, p90 {Percentile(startups, 90):0} ms, "
    + $"min {startups.Min():0} ms, max {startups.Max():0} ms");
Console.WriteLine($"of which playback API: median {Percentile(apiTimes, 50):0} ms, p90 {Percentile(apiTimes, 90):0} ms");
Console.WriteLine($"goal: median <= 1000 ms -> {(Percentile(startups, 50) <= 1000 ? "met" : "NOT met")}");
Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

/// <summary>Stops the platform's processes when the benchmark ends, however it ends.</summary>
internal sealed class PlatformLifetime : IAsyncDisposable
{
    public PlatformProcesses Processes { get; } = new();

    public EdgeProcess? Edge { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        await Processes.DisposeAsync();
    }
}
