namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Measures one master's complexity in at most two ffmpeg passes over its sample scenes (<see cref="AnalysisArguments"/>),
/// each encode's rate and luma SSIM as x264 reports them (<see cref="X264Report"/>). The first pass encodes every rung at
/// the best CRF only; a rung that encode settles (<see cref="RungChoice.Settles"/>: easy content) gets a hull of that
/// one point, and only the other rungs are encoded at the other CRFs in a second pass. One rate–quality hull per rung.
/// </summary>
internal static class ComplexityAnalysis
{
    public static async Task<IReadOnlyList<RateQualityHull>> RunAsync(
        string ffmpeg, string master, TimeSpan duration, VideoPlan plan, string preset, double sampleFraction, double targetSsim,
        CancellationToken cancellationToken)
    {
        var scenes = SampleScenes.For(duration, sampleFraction);
        var best = AnalysisArguments.Crfs[0];
        var first = await PassAsync(ffmpeg, master, scenes, plan, preset,
            [.. Enumerable.Range(0, plan.Rungs.Count).Select(r => (r, best))], cancellationToken);
        var open = Enumerable.Range(0, plan.Rungs.Count).Where(r => !RungChoice.Settles(plan.Rungs[r], first[(r, best)], targetSsim)).ToList();
        var second = open.Count == 0
            ? []
            : await PassAsync(ffmpeg, master, scenes, plan, preset,
                [.. open.SelectMany(r => AnalysisArguments.Crfs.Skip(1).Select(crf => (r, crf)))], cancellationToken);
        return [.. Enumerable.Range(0, plan.Rungs.Count).Select(r => new RateQualityHull(
            [first[(r, best)], .. second.Where(p => p.Key.Rung == r).Select(p => p.Value)]))];
    }

    private static async Task<Dictionary<(int Rung, int Crf), RatePoint>> PassAsync(
        string ffmpeg, string master, SampleScenes scenes, VideoPlan plan, string preset, IReadOnlyList<(int Rung, int Crf)> encodes,
        CancellationToken cancellationToken)
    {
        var report = new X264Report();
        await FfmpegProcess.RunAsync(
            ffmpeg, AnalysisArguments.Encode(master, scenes, plan, preset, encodes), null, report.Read, cancellationToken);
        return encodes.Select((encode, i) => (encode, report.Result(i, encodes.Count)))
            .ToDictionary(e => e.encode, e => new RatePoint(e.encode.Crf, e.Item2.Kbps, e.Item2.Ssim));
    }
}
