using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Measures one master's complexity: its sample scenes encoded at every rung and CRF (<see cref="AnalysisArguments"/>),
/// each encode's rate from its size and its SSIM from ffmpeg's <c>ssim</c> filter; one rate–quality hull per rung.
/// </summary>
internal static partial class ComplexityAnalysis
{
    public static async Task<IReadOnlyList<RateQualityHull>> RunAsync(
        string ffmpeg, string master, TimeSpan duration, VideoPlan plan, string preset, double sampleFraction, string folder,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var scenes = SampleScenes.For(duration, sampleFraction);
        await FfmpegProcess.RunAsync(ffmpeg, AnalysisArguments.Encode(master, scenes, plan, preset, folder), null, cancellationToken);
        var ssim = new Dictionary<(int Rung, int Crf), double>();
        await FfmpegProcess.RunAsync(ffmpeg, AnalysisArguments.Measure(master, scenes, plan, folder), null, line =>
        {
            if (SsimLine().Match(line) is { Success: true } match)
            {
                lock (ssim)
                {
                    ssim[(Parse(match.Groups[1].Value), Parse(match.Groups[2].Value))] =
                        double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
                }
            }
        }, cancellationToken);
        var hulls = new List<RateQualityHull>();
        for (var r = 0; r < plan.Rungs.Count; r++)
        {
            var points = new List<RatePoint>();
            foreach (var crf in AnalysisArguments.Crfs)
            {
                if (!ssim.TryGetValue((r, crf), out var value))
                {
                    throw new InvalidOperationException($"ffmpeg reported no SSIM for rung {r} at CRF {crf}.");
                }
                var bits = new FileInfo(AnalysisArguments.EncodeFile(folder, r, crf)).Length * 8.0;
                points.Add(new RatePoint(crf, bits / 1000 / scenes.TotalSeconds, value));
            }
            hulls.Add(new RateQualityHull(points));
        }
        return hulls;
    }

    private static int Parse(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[ssim@r(\d+)c(\d+) @ [^\]]+\] SSIM .* All:([0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SsimLine();
}
