using System.Globalization;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// The analysis' two ffmpeg commands. Both read the sample scenes of the master (<c>-ss</c>/<c>-t</c> inputs, joined
/// by <c>concat</c>) through the ladder's own master filters (<see cref="VideoPlan.MasterFilters"/>: deinterlace,
/// crop, tone map) and the rungs' own scales. The first encodes every rung at every CRF with x264 (the worker's preset,
/// keyframes every 4 s as in the ladder); the second decodes those encodes and measures each one's SSIM against the
/// same filtered scenes at the rung's size, one <c>ssim</c> filter per encode named <c>ssim@r{rung}c{crf}</c>.
/// </summary>
internal static class AnalysisArguments
{
    public static IReadOnlyList<int> Crfs { get; } = [16, 22, 28, 34];

    public static string EncodeFile(string folder, int rung, int crf) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"r{rung}_crf{crf}.mkv"));

    public static IReadOnlyList<string> Encode(string master, SampleScenes scenes, VideoPlan plan, string preset, string folder)
    {
        var args = Inputs(master, scenes);
        args.AddRange(["-filter_complex", Graph(scenes, plan, "e")]);
        var gop = Math.Max(1, (int)Math.Round(plan.FrameRate * LadderArguments.SegmentSeconds)).ToString(CultureInfo.InvariantCulture);
        for (var r = 0; r < plan.Rungs.Count; r++)
        {
            foreach (var crf in Crfs)
            {
                args.AddRange(["-map", Label("e", r, crf), "-c:v", "libx264", "-preset:v", preset, "-pix_fmt:v", "yuv420p",
                    "-crf:v", crf.ToString(CultureInfo.InvariantCulture),
                    "-x264-params:v", $"keyint={gop}:min-keyint={gop}:scenecut=0:open_gop=0",
                    "-map_metadata", "-1", "-f", "matroska", EncodeFile(folder, r, crf)]);
            }
        }
        return args;
    }

    public static IReadOnlyList<string> Measure(string master, SampleScenes scenes, VideoPlan plan, string folder)
    {
        var args = Inputs(master, scenes);
        var measures = new List<string>();
        var input = scenes.Scenes.Count;
        for (var r = 0; r < plan.Rungs.Count; r++)
        {
            foreach (var crf in Crfs)
            {
                args.AddRange(["-i", EncodeFile(folder, r, crf)]);
                measures.Add($"[{input++}:v:0]setpts=PTS-STARTPTS[d{r}_{crf}];{Label("m", r, crf)}setpts=PTS-STARTPTS[x{r}_{crf}];"
                    + $"[d{r}_{crf}][x{r}_{crf}]ssim@r{r}c{crf}{Label("o", r, crf)}");
            }
        }
        args.AddRange(["-filter_complex", string.Join(';', [Graph(scenes, plan, "m"), .. measures])]);
        for (var r = 0; r < plan.Rungs.Count; r++)
        {
            foreach (var crf in Crfs)
            {
                args.AddRange(["-map", Label("o", r, crf), "-f", "null", "-"]);
            }
        }
        return args;
    }

    private static List<string> Inputs(string master, SampleScenes scenes)
    {
        // Info level: the ssim filters print their summary there; -nostats keeps the progress lines out.
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "info", "-nostats" };
        foreach (var (start, length) in scenes.Scenes)
        {
            args.AddRange(["-ss", Seconds(start), "-t", Seconds(length), "-i", master]);
        }
        return args;
    }

    /// <summary>Scenes joined, master filters, then per rung its scale and one copy per CRF, labelled [{prefix}{rung}_{crf}].</summary>
    private static string Graph(SampleScenes scenes, VideoPlan plan, string prefix)
    {
        var count = scenes.Scenes.Count;
        var joined = count == 1
            ? "[0:v:0]"
            : string.Concat(Enumerable.Range(0, count).Select(i => $"[{i}:v:0]")) + $"concat=n={count}:v=1:a=0,";
        var head = joined + (plan.MasterFilters is { } filters ? filters + "," : "")
            + $"split={plan.Rungs.Count}" + string.Concat(plan.Rungs.Select((_, r) => $"[{prefix}s{r}]"));
        var rungs = plan.Rungs.Select((rung, r) => $"[{prefix}s{r}]scale={rung.Width}:{rung.Height}:flags=bicubic,setsar=1,"
            + $"split={Crfs.Count}" + string.Concat(Crfs.Select(crf => Label(prefix, r, crf))));
        return string.Join(';', [head, .. rungs]);
    }

    private static string Label(string prefix, int rung, int crf) => $"[{prefix}{rung}_{crf}]";

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
