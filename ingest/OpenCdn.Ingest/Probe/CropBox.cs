using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenCdn.Ingest.Probe;

/// <summary>The part of the displayed picture to keep (FFmpeg's <c>crop=w:h:x:y</c>).</summary>
internal sealed partial record CropBox(int Width, int Height, int X, int Y)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}:{Height}:{X}:{Y}");

    /// <summary>
    /// The black bars to cut from what <c>cropdetect</c> (reset=0: the union of the picture seen so far) printed per frame:
    /// null unless the bars are clear (each cut axis loses at least 2 %, keeps at least half, and its two bars are
    /// nearly equal, as letterbox and pillarbox bars are) and stable (the second half of the sample found no more picture).
    /// </summary>
    public static CropBox? Decide(IReadOnlyList<string> log, int width, int height)
    {
        var boxes = log.Select(line => CropLine().Match(line)).Where(m => m.Success).Select(m => new CropBox(
            Int(m, 1), Int(m, 2), Int(m, 3), Int(m, 4))).ToList();
        if (boxes.Count < 10 || boxes[^1] != boxes[boxes.Count / 2])
        {
            return null;
        }
        var found = boxes[^1];
        if (found.Width <= 0 || found.Height <= 0 || found.X < 0 || found.Y < 0 || found.X + found.Width > width || found.Y + found.Height > height)
        {
            return null;
        }
        var (x, w) = Axis(found.X, found.Width, width);
        var (y, h) = Axis(found.Y, found.Height, height);
        return w == width && h == height ? null : new CropBox(w, h, x, y);
    }

    /// <summary>The kept span of one axis: the detected one when its bars are clear, else the whole axis.</summary>
    private static (int Start, int Length) Axis(int start, int length, int size)
    {
        var before = start;
        var after = size - start - length;
        var clear = before + after >= size * 0.02 && length >= size / 2 && Math.Abs(before - after) <= Math.Max(4, size * 0.01);
        return clear ? (start / 2 * 2, length / 2 * 2) : (0, size);
    }

    private static int Int(Match m, int group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"crop=(\d+):(\d+):(\d+):(\d+)")]
    private static partial Regex CropLine();
}
