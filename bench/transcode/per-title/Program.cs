using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Ladder.PerTitle;
using OpenCdn.Ingest.Probe;
using OpenCdn.PerTitle.Bench;

// Usage: OpenCdn.PerTitle.Bench WORK_FOLDER DOCS_FOLDER [SECONDS=20]
// For each kind of master (1080p25): the worker's per-title analysis and rung choice (default settings), then the
// whole ladder encoded twice by the worker's own command, fixed and per-title, one after the other; every rung's bytes,
// rate and SSIM against the master at the rung's size. Writes DOCS/per-title-ladder.md and DOCS/per-title-ladder.png.
// The analysis' cost against the per-title encode's is given in wall seconds and in the CPU seconds of the FFmpeg
// processes each started (what a shared machine does not distort); the encode's figures leave out the SSIM checks.
var work = Directory.CreateDirectory(args[0]).FullName;
var docs = Directory.CreateDirectory(args[1]).FullName;
var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var options = new PerTitleOptions();
var inv = CultureInfo.InvariantCulture;
var table = new StringBuilder();
table.AppendLine(inv, $"Masters: 1920x1080 25 fps, {seconds} s each; x264 veryfast; SSIM (all planes) against the master at the rung's size.");
table.AppendLine();
table.AppendLine("| content | rung | fixed kbps (real) | fixed SSIM (dB) | per-title kbps (real) | CRF | per-title SSIM (dB) |");
table.AppendLine("|---|---|---|---|---|---|---|");
var totals = new StringBuilder();
totals.AppendLine("| content | fixed bytes | per-title bytes | per-title / fixed | analysis s (CPU s) | per-title encode s (CPU s) "
    + "| analysis / encode, wall (CPU) |");
totals.AppendLine("|---|---|---|---|---|---|---|");
var plots = new List<string>();
foreach (var (name, graph) in Kinds.All(1920, 1080))
{
    var master = Path.Combine(work, name + ".mp4");
    if (!File.Exists(master))
    {
        await Ffmpeg(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", graph, "-t", seconds.ToString(inv),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p", master]);
    }
    var duration = TimeSpan.FromSeconds(seconds);
    var plan = VideoFilters.Plan(new MasterInfo(duration, 1920, 1080, 25, false, PictureInfo.Square(1920, 1080)));
    var clock = Stopwatch.StartNew();
    var cpu = ChildCpuSeconds();
    var hulls = await ComplexityAnalysis.RunAsync(
        "ffmpeg", master, duration, plan, "veryfast", options.SampleFraction, Path.Combine(work, name + "-analysis"), default);
    var chosen = RungChoice.Choose(plan.Rungs, hulls, options.TargetSsim, options.FloorKbps, options.CeilingKbps);
    var (analysis, analysisCpu) = (clock.Elapsed.TotalSeconds, ChildCpuSeconds() - cpu);
    var (fixedRungs, _) = await EncodeAsync(master, plan, Path.Combine(work, name + "-fixed"));
    var (perTitle, (encode, encodeCpu)) = await EncodeAsync(master, plan with { Rungs = chosen }, Path.Combine(work, name + "-per-title"));
    foreach (var f in fixedRungs)
    {
        var p = perTitle.FirstOrDefault(r => r.Rung.ShortSide == f.Rung.ShortSide);
        var left = string.Create(inv, $"| {name} | {f.Rung.ShortSide}p | {f.Rung.Kbps} ({f.Kbps:0}) | {f.Ssim:0.00000} ({Db(f.Ssim):0.0}) | ");
        var right = p is null ? "dropped | | |"
            : string.Create(inv, $"{p.Rung.Kbps} ({p.Kbps:0}) | {p.Rung.Crf?.ToString("0.#", inv) ?? "—"} | {p.Ssim:0.00000} ({Db(p.Ssim):0.0}) |");
        table.AppendLine(left + right);
    }
    long fixedBytes = fixedRungs.Sum(r => r.Bytes), perTitleBytes = perTitle.Sum(r => r.Bytes);
    totals.AppendLine(string.Create(inv, $"| {name} | {fixedBytes} | {perTitleBytes} | {(double)perTitleBytes / fixedBytes:0.00} | ")
        + string.Create(inv, $"{analysis:0.0} ({analysisCpu:0.0}) | {encode:0.0} ({encodeCpu:0.0}) | ")
        + string.Create(inv, $"{analysis / encode:0.00} ({analysisCpu / encodeCpu:0.00}) |"));
    plots.Add(await PlotDataAsync(name, fixedRungs, perTitle, hulls[0]));
    Console.WriteLine(string.Create(inv, $"{name}: fixed {fixedBytes} B, per-title {perTitleBytes} B ({PerTitleLadder.Describe(chosen)}); ")
        + string.Create(inv, $"analysis {analysis:0.0} s ({analysisCpu:0.0} CPU s), per-title encode {encode:0.0} s ({encodeCpu:0.0} CPU s)"));
}
var report = $"{table}\n{totals}";
await File.WriteAllTextAsync(Path.Combine(docs, "per-title-ladder.md"), report);
await PlotAsync(Path.Combine(docs, "per-title-ladder.png"), plots);
Console.WriteLine(report);
return;

static double Db(double ssim) => RatePoint.Decibels(ssim);

// The ladder encoded by the worker's command, its wall and CPU seconds, then each rung measured.
async Task<(List<Measured> Rungs, (double Wall, double Cpu) Cost)> EncodeAsync(string master, VideoPlan plan, string folder)
{
    Directory.CreateDirectory(folder);
    var (clock, cpu) = (Stopwatch.StartNew(), ChildCpuSeconds());
    await FfmpegProcess.RunAsync("ffmpeg", LadderArguments.Build(master, folder, plan, "veryfast"), null, default);
    var cost = (clock.Elapsed.TotalSeconds, ChildCpuSeconds() - cpu);
    var measured = new List<Measured>();
    foreach (var rung in plan.Rungs)
    {
        var file = Path.Combine(folder, rung.FileName);
        var bytes = new FileInfo(file).Length;
        measured.Add(new Measured(rung, bytes, bytes * 8.0 / 1000 / seconds, await SsimAsync(file, master, rung)));
    }
    return (measured, cost);
}

// User + system CPU seconds of this process's children that have ended (cutime and cstime in /proc/self/stat, in the
// kernel's USER_HZ ticks, 100 a second).
static double ChildCpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
}

async Task<string> PlotDataAsync(string name, List<Measured> fixedRungs, List<Measured> perTitle, RateQualityHull top)
{
    var data = Path.Combine(work, name + ".dat");
    var text = new StringBuilder();
    foreach (var set in new[] { fixedRungs, perTitle })
    {
        foreach (var m in set)
        {
            text.AppendLine(inv, $"{m.Kbps:0.0} {Db(m.Ssim):0.00} {m.Rung.ShortSide}p");
        }
        text.AppendLine().AppendLine();
    }
    foreach (var point in top.Points)
    {
        text.AppendLine(inv, $"{point.Kbps:0.0} {point.Db:0.00} CRF{point.Crf:0}");
    }
    await File.WriteAllTextAsync(data, text.ToString());
    return $"set title '{name}'\nplot '{data}' index 0 using 1:2 with linespoints title 'fixed ladder', "
        + $"'' index 0 using 1:2:3 with labels offset 0,1 font ',8' notitle, "
        + $"'' index 1 using 1:2 with linespoints title 'per-title', '' index 2 using 1:2 with lines dashtype 2 title 'top-rung hull (samples)'";
}

async Task PlotAsync(string png, List<string> plots)
{
    var script = Path.Combine(work, "plot.gp");
    await File.WriteAllTextAsync(script, $"set terminal pngcairo size 1400,1000 font ',10'\nset output '{png}'\n"
        + "set logscale x\nset xlabel 'real bitrate (kbps)'\nset ylabel 'SSIM (dB)'\nset key bottom right\nset grid\n"
        + "set multiplot layout 2,2 title 'Per-title vs fixed ladder: rate–quality per rung'\n" + string.Join('\n', plots) + "\nunset multiplot\n");
    await Run("gnuplot", [script]);
}

static async Task<double> SsimAsync(string encoded, string master, Rung rung)
{
    double? ssim = null;
    await FfmpegProcess.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-i", encoded, "-i", master, "-lavfi",
        $"[1:v]scale={rung.Width}:{rung.Height}:flags=bicubic,setsar=1[ref];[0:v][ref]ssim", "-f", "null", "-"], null, line =>
        {
            var at = line.IndexOf(" All:", StringComparison.Ordinal);
            if (line.Contains("SSIM Y:", StringComparison.Ordinal) && at > 0)
            {
                ssim = double.Parse(line[(at + 5)..].Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }, default);
    return ssim ?? throw new InvalidOperationException("ffmpeg printed no SSIM");
}

static Task Ffmpeg(IReadOnlyList<string> arguments) => FfmpegProcess.RunAsync("ffmpeg", arguments, null, default);

static Task Run(string tool, IReadOnlyList<string> arguments) => FfmpegProcess.RunAsync(tool, arguments, null, default);

internal sealed record Measured(Rung Rung, long Bytes, double Kbps, double Ssim);
