namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// The upper convex hull of one rung's sampled encodes in (log₂ rate, SSIM dB): the best quality each rate can buy,
/// with the points that buy less than a straight line between their neighbours dropped. Between hull points the
/// rate for a quality is read off the line (and the CRF likewise); beyond them, the nearest segment is extended.
/// </summary>
internal sealed class RateQualityHull
{
    private const double MinSlope = 0.05; // dB per doubling: flatter than this, more bits buy nothing measurable

    public RateQualityHull(IEnumerable<RatePoint> points)
    {
        var sorted = points.Where(p => p.Kbps > 0).OrderBy(p => p.Kbps).ToList();
        var hull = new List<RatePoint>();
        foreach (var point in sorted)
        {
            if (hull.Count > 0 && point.Db <= hull[^1].Db)
            {
                continue; // more bits, no better: never on the hull
            }
            while (hull.Count >= 2 && !Concave(hull[^2], hull[^1], point))
            {
                hull.RemoveAt(hull.Count - 1);
            }
            hull.Add(point);
        }
        Points = hull;
    }

    public IReadOnlyList<RatePoint> Points { get; }

    /// <summary>The rate and CRF that reach <paramref name="ssim"/>; null when the curve stops rising below it.</summary>
    public RatePoint? Reach(double ssim)
    {
        if (Points.Count == 0)
        {
            return null;
        }
        var db = RatePoint.Decibels(ssim);
        if (Points.Count == 1)
        {
            return db <= Points[0].Db ? Points[0] : null;
        }
        var index = 1;
        while (index < Points.Count - 1 && Points[index].Db < db)
        {
            index++;
        }
        var (low, high) = (Points[index - 1], Points[index]);
        var slope = (high.Db - low.Db) / Math.Log2(high.Kbps / low.Kbps);
        if (db > high.Db && slope < MinSlope)
        {
            return null;
        }
        var t = (db - low.Db) / (high.Db - low.Db);
        return new RatePoint(Math.Clamp(low.Crf + (t * (high.Crf - low.Crf)), 1, 51), low.Kbps * Math.Pow(2, (db - low.Db) / slope), ssim);
    }

    /// <summary>The best the measured hull buys for at most <paramref name="kbps"/> (never beyond its best encode).</summary>
    public RatePoint? Within(double kbps)
    {
        if (Points.Count == 0 || kbps < Points[0].Kbps)
        {
            return null;
        }
        var index = 1;
        while (index < Points.Count && Points[index].Kbps <= kbps)
        {
            index++;
        }
        if (index == Points.Count)
        {
            return Points[^1];
        }
        var (low, high) = (Points[index - 1], Points[index]);
        var t = Math.Log2(kbps / low.Kbps) / Math.Log2(high.Kbps / low.Kbps);
        var db = low.Db + (t * (high.Db - low.Db));
        return new RatePoint(low.Crf + (t * (high.Crf - low.Crf)), kbps, 1 - Math.Pow(10, -db / 10));
    }

    /// <summary>True when <paramref name="b"/> lies above the line from <paramref name="a"/> to <paramref name="c"/>.</summary>
    private static bool Concave(RatePoint a, RatePoint b, RatePoint c)
    {
        var (ax, bx, cx) = (Math.Log2(a.Kbps), Math.Log2(b.Kbps), Math.Log2(c.Kbps));
        return (b.Db - a.Db) * (cx - ax) > (c.Db - a.Db) * (bx - ax);
    }
}
