using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Chooses a title's ladder before its encode: the fixed ladder's rungs re-priced from the master's measured complexity
/// (<see cref="ComplexityAnalysis"/>, <see cref="RungChoice"/>), or the fixed ladder itself when per-title is off or
/// the analysis fails (a warning says why). The chosen ladder is logged; the encode takes it as it takes the fixed one.
/// </summary>
internal sealed partial class PerTitleLadder(IOptions<PerTitleOptions> options, IOptions<IngestOptions> ingest, ILogger<PerTitleLadder> logger)
{
    public async Task<VideoPlan> ChooseAsync(
        string titleId, string ffmpeg, string master, TimeSpan duration, VideoPlan plan, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return plan;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            var hulls = await ComplexityAnalysis.RunAsync(
                ffmpeg, master, duration, plan, ingest.Value.Preset, settings.SampleFraction, settings.TargetSsim, cancellationToken);
            var rungs = RungChoice.Choose(plan.Rungs, hulls, settings.TargetSsim, settings.FloorKbps, settings.CeilingKbps);
            Log.Chosen(logger, titleId, Describe(rungs), Describe(plan.Rungs), clock.Elapsed.TotalSeconds);
            return plan with { Rungs = rungs };
        }
        catch (Exception e) when (e is FfmpegFailedException or InvalidOperationException or IOException)
        {
            Log.FellBack(logger, titleId, e.Message);
            return plan;
        }
    }

    public static string Describe(IEnumerable<Rung> rungs) => string.Join(", ", rungs.Select(r =>
        r.Crf is { } crf ? string.Create(CultureInfo.InvariantCulture, $"{r.ShortSide}p {r.Kbps}k (CRF {crf:0.#})") : $"{r.ShortSide}p {r.Kbps}k"));

    private static partial class Log
    {
        [LoggerMessage(296, LogLevel.Information,
            "Title {TitleId}: per-title ladder {Ladder} (fixed: {Fixed}); analysis took {Seconds:0.0} s")]
        public static partial void Chosen(ILogger logger, string titleId, string ladder, string @fixed, double seconds);

        [LoggerMessage(297, LogLevel.Warning, "Title {TitleId}: per-title analysis failed, encoding the fixed ladder: {Reason}")]
        public static partial void FellBack(ILogger logger, string titleId, string reason);
    }
}
