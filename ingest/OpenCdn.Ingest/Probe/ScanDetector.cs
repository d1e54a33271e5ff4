namespace OpenCdn.Ingest.Probe;

/// <summary>
/// Decides how a master was scanned from the field order it declares and what <c>idet</c> saw on a sample, because
/// the flags lie both ways: interlaced video re-wrapped as progressive, progressive video flagged interlaced (PsF).
/// </summary>
internal static class ScanDetector
{
    /// <summary>Fewer determined frames than this and idet's verdict is not trusted (a static or black sample).</summary>
    private const int MinDetermined = 10;

    public static Scan Decide(FieldOrder declared, IdetCounts idet, double frameRate)
    {
        var flagged = declared is FieldOrder.TopFirst or FieldOrder.BottomFirst;
        var enough = idet.Determined >= MinDetermined;
        var dominant = Math.Max(idet.Tff, idet.Bff);
        var other = Math.Min(idet.Tff, idet.Bff);
        // Real interlace has one field order; fine detail and scaled progressive pictures fool idet both ways at once.
        var combed = enough && dominant >= 0.6 * idet.Determined && other * 10 <= dominant;
        var progressive = enough && idet.Progressive >= 0.8 * idet.Determined;
        var topFirst = combed ? idet.Tff >= idet.Bff : declared != FieldOrder.BottomFirst;
        // 3:2 pulldown repeats a field in 2 frames of 5 (40 %); true interlace and progressive video repeat none.
        var pulldown = enough && idet.RepeatedShare >= 0.2 && idet.Tff + idet.Bff >= 0.2 * idet.Determined && IsNtscVideoRate(frameRate);
        if (pulldown)
        {
            return new Scan(ScanKind.Telecined, topFirst);
        }
        if (combed || (flagged && !progressive))
        {
            return new Scan(ScanKind.Interlaced, topFirst);
        }
        return Scan.Progressive;
    }

    private static bool IsNtscVideoRate(double fps) => Math.Abs(fps - 30000.0 / 1001) < 0.05 || Math.Abs(fps - 30) < 0.05;
}
