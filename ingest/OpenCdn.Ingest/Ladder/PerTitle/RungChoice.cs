namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Turns each rung's rate–quality hull into its bitrate and CRF. A rung aims at the target SSIM; where quality is cheap,
/// it takes more: the best the measured hull buys for half the fixed ladder's bitrate for that rung (<see cref="CheapShare"/>),
/// when that beats the target. The rate is then held between the floor and the rung's share of the
/// ceiling (the fixed ladder's proportions: 720p gets 3000/5000 of it); a rung whose target lies beyond its ceiling
/// is encoded at the ceiling's average bitrate (no CRF). From the top down, a rung is kept only if the rung above costs
/// at least <see cref="Spacing"/> times as much: rungs closer than that give a player nothing to switch to.
/// A rung whose best sampled encode (the lowest CRF) already reaches the target within half its fixed bitrate is
/// settled by that encode alone (<see cref="Settles"/>): the analysis samples no other CRF for it.
/// </summary>
internal static class RungChoice
{
    public const double Spacing = 1.4;

    public const double CheapShare = 0.5;

    public static IReadOnlyList<Rung> Choose(
        IReadOnlyList<Rung> rungs, IReadOnlyList<RateQualityHull> hulls, double targetSsim, int floorKbps, int ceilingKbps)
    {
        if (rungs.Count == 0 || hulls.Count != rungs.Count)
        {
            throw new ArgumentException("One hull per rung is needed.", nameof(hulls));
        }
        var chosen = new List<Rung>();
        foreach (var (rung, hull) in rungs.Zip(hulls))
        {
            var candidate = Price(rung, hull, targetSsim, floorKbps, ceilingKbps);
            if (chosen.Count == 0 || chosen[^1].Kbps >= candidate.Kbps * Spacing)
            {
                chosen.Add(candidate);
            }
        }
        return chosen;
    }

    /// <summary>
    /// True when <paramref name="best"/>, the rung's best-quality sampled encode, is its price whatever the other CRFs
    /// measure: it reaches the target and costs at most <see cref="CheapShare"/> of the fixed bitrate, so half the fixed
    /// bitrate buys it, and no other encode is better. A hull of that one point gives the same rung as the whole curve.
    /// </summary>
    public static bool Settles(Rung rung, RatePoint best, double targetSsim) =>
        best.Ssim >= targetSsim && best.Kbps > 0 && best.Kbps <= FixedKbps(rung) * CheapShare;

    private static Rung Price(Rung rung, RateQualityHull hull, double targetSsim, int floorKbps, int ceilingKbps)
    {
        var fixedKbps = FixedKbps(rung);
        var ceiling = Math.Max(floorKbps, (int)Math.Round(ceilingKbps * (double)fixedKbps / Rung.Standard[0].Kbps));
        var point = hull.Reach(targetSsim);
        if (point is not null && hull.Within(fixedKbps * CheapShare) is { } cheap && cheap.Db > point.Db)
        {
            point = cheap;
        }
        if (point is null || point.Kbps > ceiling)
        {
            return rung with { Kbps = ceiling, Crf = null };
        }
        var kbps = (int)Math.Clamp(Math.Round(point.Kbps / 10) * 10, floorKbps, ceiling);
        return rung with { Kbps = kbps, Crf = Math.Round(point.Crf, 1) };
    }

    /// <summary>The fixed ladder's bitrate for the rung's short side (a picture smaller than every rung keeps its own).</summary>
    private static int FixedKbps(Rung rung) =>
        Rung.Standard.FirstOrDefault(s => s.ShortSide == rung.ShortSide) is { Kbps: > 0 } standard ? standard.Kbps : rung.Kbps;
}
