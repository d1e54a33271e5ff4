// Peer-assisted delivery on 127.0.0.1 with one real edge: N viewers in headless Chromium (one browser, a context each)
// join one after the other and play a short title to the end of its buffer; the edge's content egress is read from its
// /metrics before and after. Rounds alternate peers off (every viewer opted out) and on. Then the signalling server:
// the control plane's CPU time per WebSocket join, beside its CPU time per playback request, in the same run.
// Usage: dotnet run -c Release --project bench/peers -- [viewers] [rounds] [joins]
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Peers.Bench;
using OpenCdn.Testing;

var viewers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var joins = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
const string TitleName = "Peers benchmark";

await using var platform = new PlatformLifetime(PlatformProcesses.With(new Dictionary<string, string>
{
    ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
    ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
    ["OpenCdn:Peers:Enabled"] = "true", // everything else at the deployment defaults (upload cap, peers per viewer, timeout)
    ["OpenCdn:RateLimits:PlaybackSessionsPerAddress"] = "100000", // every simulated viewer comes from 127.0.0.1
}));
var processes = platform.Processes;
Console.Error.WriteLine("Starting the control plane, a worker and an edge; transcoding a 20-s 480p master…");
await processes.InitializeAsync();
var master = await Ffmpeg.GenerateMasterAsync(Path.Combine(processes.Data.Path, "bench.mp4"), 854, 480, "25", 20, audioChannels: 2);
using (var admin = await processes.AdminAsync())
{
    using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
    var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    platform.Edge = await EdgeProcess.StartAsync("bench-edge", processes.BaseUrl, bootstrap, processes.BaseUrl);
    var id = await admin.UploadAsync(TitleName, master);
    if ((await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(5))).Status() != "ready")
    {
        throw new InvalidOperationException("The title did not become ready.");
    }
    Console.Error.WriteLine("Waiting for the edge to fill the title…");
    await Eventually.ValueAsync(
        async () => await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges"),
        fleet => fleet.EnumerateArray().Any(e => e.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
            && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == id)),
        "the edge holds the title", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500), fleet => fleet.GetRawText());
    await Task.Delay(2000); // a sync pass: steering sees the edge's inventory
}

var crowd = await Crowd.LaunchAsync(processes.BaseUrl, platform.Edge.BaseUrl, TitleName);
await using (crowd)
{
    var results = new List<CrowdResult>();
    for (var round = 1; round <= rounds; round++)
    {
        foreach (var peers in new[] { false, true })
        {
            var result = await crowd.PlayAsync(viewers, peers);
            results.Add(result);
            Console.Error.WriteLine($"round {round}, peers {(peers ? "on " : "off")}: {result}");
        }
    }
    Console.WriteLine($"viewers: {viewers}, joining 1 s apart; rounds: {rounds} (peers off, then on); title: 20 s, 480p ladder");
    var off = results.Where(r => !r.Peers).ToList();
    var on = results.Where(r => r.Peers).ToList();
    var egressOff = Median(off.Select(r => (double)r.EdgeBytes));
    var egressOn = Median(on.Select(r => (double)r.EdgeBytes));
    Console.WriteLine($"edge egress, median per round: peers off {egressOff / 1e6:0.0} MB, peers on {egressOn / 1e6:0.0} MB "
        + $"-> on/off {egressOn / egressOff:0.00}x");
    Console.WriteLine($"share of media bytes from peers (players' own count), peers on: median {Median(on.Select(r => r.PeerShare)):P1}");
    Console.WriteLine($"stalls, total over the viewers, median per round: off {Median(off.Select(r => (double)r.Stalls))}, "
        + $"on {Median(on.Select(r => (double)r.Stalls))}");
}

var cpu = await JoinLoad.MeasureAsync(processes, joins);
Console.WriteLine(cpu);
Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    var middle = sorted.Count / 2;
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/// <summary>Stops the platform's processes when the benchmark ends, however it ends.</summary>
internal sealed class PlatformLifetime(PlatformProcesses processes) : IAsyncDisposable
{
    public PlatformProcesses Processes { get; } = processes;

    public EdgeProcess Edge { get; set; } = null!;

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        await Processes.DisposeAsync();
    }
}
