namespace OpenCdn.FleetSim.Model;

/// <summary>
/// Share of a day's plays starting in each local hour: the usual video-on-demand shape, a trough at 04:00–05:00 and an
/// evening peak at 20:00–22:00 about 12 times the trough.
/// </summary>
internal static class Diurnal
{
    private static readonly double[] Shape =
    [
        0.55, 0.35, 0.20, 0.12, 0.08, 0.08, 0.10, 0.15, 0.20, 0.25, 0.28, 0.30,
        0.35, 0.36, 0.36, 0.38, 0.42, 0.50, 0.62, 0.80, 0.95, 1.00, 0.90, 0.75,
    ];

    public static readonly double[] Share = [.. Shape.Select(s => s / Shape.Sum())];

    public static double PeakShare => Share.Max();
}
