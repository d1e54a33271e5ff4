using System.Diagnostics;
using System.Globalization;
using System.Net;
using OpenCdn.Steering;
using OpenCdn.Steering.Bench;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;
using static OpenCdn.Steering.Bench.Harness;

// dotnet run -c Release --project bench/steering [-- runs seconds]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var culture = CultureInfo.InvariantCulture;
void Row(string what, string figure) => Console.WriteLine(string.Create(culture, $"| {what} | {figure} |"));

var heapBefore = GC.GetTotalMemory(true);
// Heartbeats are sent once, at load: a long interval keeps the fleet up for the whole run (the clock is real).
var options = new SteeringOptions { HeartbeatInterval = TimeSpan.FromHours(1) };
var builder = new FleetBuilder(options, TimeProvider.System);
var fleet = new SyntheticFleet(42, builder);
var loadMs = Time(fleet.Load);
FleetSnapshot snapshot = null!;
var firstBuildMs = Time(() => snapshot = builder.Build());
var popularity = new PopularityTracker(new PopularityOptions(), TimeProvider.System);
var steerer = new Steerer(TimeProvider.System, popularity);
steerer.Publish(snapshot);
var heapAfter = GC.GetTotalMemory(true);
var rss = Environment.WorkingSet;
var requests = fleet.Requests(1 << 20);

Console.WriteLine(string.Create(culture, $"fleet: {snapshot.Edges.Length:N0} edges, {snapshot.Prefixes.Trie.PrefixCount:N0} edge prefixes + " +
    $"{snapshot.Geo.Trie.PrefixCount:N0} geo prefixes ({snapshot.Prefixes.Trie.NodeCount + snapshot.Geo.Trie.NodeCount:N0} trie nodes), " +
    $"{snapshot.Catalog.Current.Length:N0} titles, {snapshot.Ix.Sites.Length} IX sites; loaded in {loadMs:N0} ms"));

// The baseline: a fixed answer, same call shape, no work.
var fixedAnswer = steerer.Decide(requests[0].Title, requests[0].Client);
SteeringDecision Baseline(string title, IPAddress client) => fixedAnswer;
SteeringDecision Steering(string title, IPAddress client) => steerer.Decide(title, client);
SteeringDecision MatchOnly(string title, IPAddress client) =>
    steerer.Current.Prefixes.Trie.Longest(OpenCdn.Steering.Prefixes.IpKey.From(client)) == int.MinValue ? default : fixedAnswer;
var foldEvery = 0;
void Fold()
{
    if (++foldEvery % 16 == 0)
    {
        popularity.Fold(); // every 64k decisions, as a control-plane timer would; its cost is in the figures
    }
}

// Warm up both (tiered JIT), then alternate A B A B … as BENCHMARKING.md asks.
Throughput(Baseline, requests, 1, TimeSpan.FromSeconds(0.5));
Throughput(Steering, requests, 1, TimeSpan.FromSeconds(1), Fold);
var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
var loadBefore = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
var results = new Dictionary<(string, int), List<double>>();
var cpu = new Dictionary<(string, int), List<double>>();
for (var run = 0; run < runs; run++)
{
    foreach (var threads in new[] { 1, 2 })
    {
        foreach (var (name, decider, fold) in new (string, Decider, Action?)[]
            { ("baseline", Baseline, null), ("steering", Steering, Fold), ("match", MatchOnly, null) })
        {
            var rate = Throughput(decider, requests, threads, TimeSpan.FromSeconds(seconds), fold);
            (results.TryGetValue((name, threads), out var list) ? list : results[(name, threads)] = []).Add(rate);
            (cpu.TryGetValue((name, threads), out var used) ? used : cpu[(name, threads)] = []).Add(LastCpuPerWall);
        }
    }
}
popularity.Fold();

Console.WriteLine();
Console.WriteLine("| figure | value |");
Console.WriteLine("|---|---|");
foreach (var threads in new[] { 1, 2 })
{
    var b = Median(results[("baseline", threads)]);
    var s = Median(results[("steering", threads)]);
    Row(
        $"decisions/s, {threads} thread(s): steering (median of {runs})",
        $"{s:N0} (runs: {string.Join(" / ", results[("steering", threads)].Select(r => r.ToString("N0", culture)))}; " +
        $"process CPU {Median(cpu[("steering", threads)]):F2} cores)");
    Row(
        $"decisions per CPU-second, {threads} thread(s): steering",
        $"{Median(results[("steering", threads)].Zip(cpu[("steering", threads)], (r, c) => r / c)):N0}");
    Row($"decisions/s, {threads} thread(s): fixed-answer baseline", $"{b:N0}");
    Row($"steering / baseline, {threads} thread(s)", $"{s / b:P3}: steering costs {1e9 / s - 1e9 / b:N0} ns of wall time per decision");
    Row($"  of which longest-prefix match alone, {threads} thread(s)", $"{Median(results[("match", threads)]):N0}/s");
}
foreach (var threads in new[] { 1, 2 })
{
    popularity.Fold();
    var (p50, p99, p999, max) = Latency(Steering, requests, threads, 500_000, Fold);
    var (bp50, bp99, _, _) = Latency(Baseline, requests, threads, 500_000);
    Row($"latency µs, {threads} thread(s): steering p50 / p99 / p99.9 / max", $"{p50:F2} / {p99:F2} / {p999:F2} / {max:F0}");
    Row($"latency µs, {threads} thread(s): baseline p50 / p99", $"{bp50:F2} / {bp99:F2}");
}
Row("garbage collections during all decision runs (gen0 / gen1 / gen2)",
    $"{GC.CollectionCount(0) - gcBefore.Item1} / {GC.CollectionCount(1) - gcBefore.Item2} / {GC.CollectionCount(2) - gcBefore.Item3}");
Row("load average before / after the decision runs (other work on the machine)",
    $"{loadBefore} / {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?")}");
var counts = steerer.Stats.Read();
Row("outcomes (all runs)", $"hit {counts.Share(counts.Hits):P1}, content miss {counts.Share(counts.ContentMisses):P1}, " +
    $"health miss {counts.Share(counts.HealthMisses):P1}, other {counts.Share(counts.Other):P1}; plays dropped {popularity.Dropped:N0}");

// Snapshot rebuilds: a registration rebuilds the prefix, geo and IX maps; heartbeats alone reuse them.
var full = new List<double>();
var fullCpu = new List<double>();
var incremental = new List<double>();
for (var run = 0; run < runs; run++)
{
    builder.Register(fleet.Edges[run] with { Name = $"renamed-{run}" });
    var (wall, cpuMs) = TimeWithCpu(() => steerer.Publish(builder.Build()));
    full.Add(wall);
    fullCpu.Add(cpuMs);
    for (var e = 0; e < 1_000; e++)
    {
        fleet.Beat(fleet.Edges[(run * 1_000) + e]);
    }
    incremental.Add(Time(() => steerer.Publish(builder.Build())));
}
Row("snapshot build, first (empty → full fleet)", $"{firstBuildMs:N0} ms");
Row(
    "snapshot rebuild after a registration (all maps), median",
    $"{Median(full):N0} ms wall, {Median(fullCpu):N0} ms CPU (runs: {string.Join(" / ", full.Select(r => r.ToString("N0", culture)))})");
Row("snapshot rebuild after 1,000 heartbeats (maps reused), median", $"{Median(incremental):N1} ms");

var planner = new FillPlanner(new FillOptions());
var view = popularity.Snapshot();
var planMs = Time(() => planner.Plan(steerer.Current, view));
var replanMs = Time(() => planner.Plan(steerer.Current, view));
Row("fill plans for all edges (first / unchanged replan)", $"{planMs:N0} ms / {replanMs:N0} ms");

Row("managed heap: fleet + snapshot (GC.GetTotalMemory after full GC)", $"{(heapAfter - heapBefore) / 1048576.0:N0} MiB");
Row("process RSS after load / at the end (incl. plans, requests)", $"{rss / 1048576.0:N0} MiB / {Environment.WorkingSet / 1048576.0:N0} MiB");
Row("machine", $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, "
    + $"GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
