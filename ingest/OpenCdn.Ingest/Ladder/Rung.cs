namespace OpenCdn.Ingest.Ladder;

/// <summary>One video rendition of the ladder: its height and its target bitrate.</summary>
internal sealed record Rung(int Height, int Kbps)
{
    public string FileName => $"video_{Height}p.mp4";

    /// <summary>The standard ladder, tallest first.</summary>
    public static IReadOnlyList<Rung> Standard { get; } =
    [
        new(1080, 5000),
        new(720, 3000),
        new(480, 1200),
        new(360, 600),
        new(240, 300),
    ];

    /// <summary>
    /// The rungs at or below the source's height (never upscale); a source shorter than every rung gets one rung at its
    /// own height.
    /// </summary>
    public static IReadOnlyList<Rung> For(int sourceHeight)
    {
        var fitting = Standard.Where(r => r.Height <= sourceHeight).ToList();
        return fitting.Count > 0 ? fitting : [new Rung(Math.Max(2, sourceHeight / 2 * 2), Standard[^1].Kbps)];
    }
}
