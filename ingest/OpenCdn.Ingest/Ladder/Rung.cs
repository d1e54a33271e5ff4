namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// One video rendition of the ladder: the short side of the 16:9 (or 9:16) frame it fills, its target bitrate, and the
/// picture it gets in that frame (square pixels, the master's shape, even sizes). A 1080x1920 master's top rung is
/// 1080x1920 and a 2.39:1 film's is 1920x804; both are <c>video_1080p</c>. A per-title rung also carries the x264 CRF
/// its analysis found for its quality: it is then encoded at that CRF, capped at its bitrate (capped CRF).
/// </summary>
internal sealed record Rung(int ShortSide, int Kbps, int Width, int Height, double? Crf = null)
{
    public string Id => $"video_{ShortSide}p";

    public string FileName => Id + ".mp4";

    /// <summary>The standard ladder, largest first: the frame's short side and the bitrate.</summary>
    public static IReadOnlyList<(int ShortSide, int Kbps)> Standard { get; } =
    [
        (1080, 5000),
        (720, 3000),
        (480, 1200),
        (360, 600),
        (240, 300),
    ];

    /// <summary>
    /// The rungs whose frame the picture (<paramref name="width"/> x <paramref name="height"/> square pixels, as shown)
    /// fills without upscaling, each sized to fit; a picture smaller than every rung gets one rung of its own size.
    /// </summary>
    public static IReadOnlyList<Rung> For(double width, double height)
    {
        var shortSide = Math.Min(width, height);
        var longSide = Math.Max(width, height);
        var rungs = new List<Rung>();
        foreach (var (side, kbps) in Standard)
        {
            var scale = Math.Min(side / shortSide, side * 16.0 / 9 / longSide);
            if (scale <= 1 + 1e-9)
            {
                rungs.Add(new Rung(side, kbps, Even(width * scale, width), Even(height * scale, height)));
            }
        }
        return rungs.Count > 0
            ? rungs
            : [new Rung(Even(shortSide, shortSide), Standard[^1].Kbps, Even(width, width), Even(height, height))];
    }

    /// <summary>The nearest even size (4:2:0 needs one), never above the source's own.</summary>
    private static int Even(double size, double source) =>
        Math.Max(2, Math.Min((int)Math.Round(size / 2, MidpointRounding.AwayFromZero) * 2, (int)(source / 2) * 2));
}
