namespace OpenCdn.FleetSim.Report;

/// <summary>The measured month of one <see cref="Ledger"/> in totals and shares (bytes in TB, 10^12).</summary>
internal sealed record Summary(
    string Name,
    double Plays,
    double ServedTb,
    double EmbeddedShare,
    double IxShare,
    double OriginShare,
    double TransitTb,
    double FillTb,
    double FillFromOriginTb,
    double FillFromPeerTb,
    double FillOutsideWindowTb,
    double FillAtPeakTb,
    double PeakTransitShare,
    double HitShare,
    double ContentMissShare,
    double HealthMissShare,
    double OtherShare,
    double DiskUsed,
    double DayOneOffload,
    double MedianFirstCopyHours,
    double MedianHalfCopiesHours,
    int Launches,
    double PeerCut,
    double PeerCutTarget,
    double EvictedTb)
{
    private const double Tb = 1e12;

    public static Summary Of(Ledger ledger, int from, int to, Func<int, bool> launchedInMonth)
    {
        double Sum(double[] series) => series.AsSpan(from, to - from).ToArray().Sum();
        var served = Sum(ledger.Embedded) + Sum(ledger.Ix) + Sum(ledger.Origin);
        var plays = Sum(ledger.Plays);
        var launched = Enumerable.Range(0, ledger.DayOneTotal.Length).Where(launchedInMonth).ToArray();
        var fill = Enumerable.Range(from, to - from).Sum(ledger.Fill);
        var multi = ledger.MultiCopyFill;
        return new Summary(
            ledger.Name,
            plays,
            served / Tb,
            Sum(ledger.Embedded) / served,
            Sum(ledger.Ix) / served,
            Sum(ledger.Origin) / served,
            Enumerable.Range(from, to - from).Sum(ledger.Transit) / Tb,
            fill / Tb,
            Sum(ledger.FillFromOrigin) / Tb,
            Sum(ledger.FillFromPeer) / Tb,
            Sum(ledger.FillOutsideWindow) / Tb,
            Sum(ledger.FillAtPeak) / Tb,
            fill == 0 ? 0 : Sum(ledger.FillAtPeak) / fill,
            Sum(ledger.Outcomes[0]) / plays,
            Sum(ledger.Outcomes[1]) / plays,
            Sum(ledger.Outcomes[2]) / plays,
            Sum(ledger.Outcomes[3]) / plays,
            ledger.DiskUsedShare.Skip(from / 24).Take((to - from) / 24).DefaultIfEmpty().Average(),
            launched.Sum(t => ledger.DayOneTotal[t]) is var total and > 0 ? launched.Sum(t => ledger.DayOneEmbedded[t]) / total : 0,
            Median(launched.Select(t => ledger.FirstCopyHours[t])),
            Median(launched.Select(t => ledger.HalfCopiesHours[t])),
            launched.Length,
            multi == 0 ? 0 : 1 - (ledger.MultiCopyFillFromOrigin / multi),
            multi == 0 ? 0 : 1 - (ledger.MultiCopyIdealFromOrigin / multi),
            ledger.EvictedBytes / Tb);
    }

    /// <summary>Median of the values; a title never reached (-1) counts as infinitely late.</summary>
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Select(v => v < 0 ? double.PositiveInfinity : v).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
