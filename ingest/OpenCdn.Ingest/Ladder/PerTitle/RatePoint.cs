namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>One sampled encode: its x264 CRF, its average rate and its SSIM against the master (1 = identical).</summary>
internal sealed record RatePoint(double Crf, double Kbps, double Ssim)
{
    /// <summary>SSIM in decibels, <c>-10·log10(1 − SSIM)</c>, capped at 60 dB: near 1 it spreads what SSIM squeezes.</summary>
    public double Db => Decibels(Ssim);

    public static double Decibels(double ssim) => Math.Min(60, -10 * Math.Log10(Math.Max(1e-6, 1 - ssim)));
}
