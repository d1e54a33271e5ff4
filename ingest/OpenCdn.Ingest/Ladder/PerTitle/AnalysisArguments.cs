using System.Globalization;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// One analysis pass as one ffmpeg command: the sample scenes of the master (<c>-ss</c>/<c>-t</c> inputs, joined by
/// <c>concat</c>) decoded once, through the ladder's own master filters (<see cref="VideoPlan.MasterFilters"/>:
/// deinterlace, crop, tone map) and the rungs' own scales, then encoded by x264 (the worker's preset, keyframes every
/// 4 s as in the ladder) once per (rung, CRF) asked for. Nothing is written: each encoder measures its own result
/// (<c>ssim=1</c>: the luma SSIM of its reconstruction against its input) and reports it with its rate when it closes
/// (<see cref="X264Report"/>). Output <c>#i</c> is the i-th encode asked for.
/// </summary>
internal static class AnalysisArguments
{
    /// <summary>The CRFs sampled per rung, best quality first: the first one alone may settle a rung (<see cref="RungChoice.Settles"/>).</summary>
    public static IReadOnlyList<int> Crfs { get; } = [16, 22, 28, 34];

    public static IReadOnlyList<string> Encode(
        string master, SampleScenes scenes, VideoPlan plan, string preset, IReadOnlyList<(int Rung, int Crf)> encodes)
    {
        // Info level: x264 prints its SSIM and rate there; -nostats keeps the progress lines out.
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "info", "-nostats" };
        foreach (var (start, length) in scenes.Scenes)
        {
            args.AddRange(["-ss", Seconds(start), "-t", Seconds(length), "-i", master]);
        }
        args.AddRange(["-filter_complex", Graph(scenes, plan, encodes)]);
        var gop = Math.Max(1, (int)Math.Round(plan.FrameRate * LadderArguments.SegmentSeconds)).ToString(CultureInfo.InvariantCulture);
        foreach (var (rung, crf) in encodes)
        {
            args.AddRange(["-map", Label(rung, crf), "-c:v", "libx264", "-preset:v", preset, "-pix_fmt:v", "yuv420p",
                "-crf:v", crf.ToString(CultureInfo.InvariantCulture),
                "-x264-params:v", $"keyint={gop}:min-keyint={gop}:scenecut=0:open_gop=0:ssim=1", "-f", "null", "-"]);
        }
        return args;
    }

    /// <summary>Scenes joined, master filters, then per rung asked for its scale and one copy per CRF, labelled [e{rung}_{crf}].</summary>
    private static string Graph(SampleScenes scenes, VideoPlan plan, IReadOnlyList<(int Rung, int Crf)> encodes)
    {
        var count = scenes.Scenes.Count;
        var joined = count == 1
            ? "[0:v:0]"
            : string.Concat(Enumerable.Range(0, count).Select(i => $"[{i}:v:0]")) + $"concat=n={count}:v=1:a=0,";
        var rungs = encodes.GroupBy(e => e.Rung).ToList();
        var head = joined + (plan.MasterFilters is { } filters ? filters + "," : "")
            + $"split={rungs.Count}" + string.Concat(rungs.Select(g => $"[s{g.Key}]"));
        var scales = rungs.Select(g => $"[s{g.Key}]scale={plan.Rungs[g.Key].Width}:{plan.Rungs[g.Key].Height}:flags=bicubic,setsar=1,"
            + $"split={g.Count()}" + string.Concat(g.Select(e => Label(e.Rung, e.Crf))));
        return string.Join(';', [head, .. scales]);
    }

    private static string Label(int rung, int crf) => $"[e{rung}_{crf}]";

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
