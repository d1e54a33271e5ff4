using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenCdn.Ingest.Probe;

/// <summary>
/// What FFmpeg's <c>idet</c> filter counted on a sample: its multi-frame verdicts per frame, and how often one field
/// repeated the previous frame's (3:2 pulldown repeats a field in two frames of every five).
/// </summary>
internal sealed partial record IdetCounts(int Tff, int Bff, int Progressive, int Undetermined, int Neither, int Top, int Bottom)
{
    public static IdetCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public int Determined => Tff + Bff + Progressive;

    /// <summary>The share of frames in which one field repeats the previous frame's.</summary>
    public double RepeatedShare => Neither + Top + Bottom == 0 ? 0 : (double)(Top + Bottom) / (Neither + Top + Bottom);

    /// <summary>Reads idet's end-of-stream summary lines; <see cref="None"/> when they are missing.</summary>
    public static IdetCounts Parse(IEnumerable<string> log)
    {
        Match? multi = null, repeated = null;
        foreach (var line in log)
        {
            if (MultiFrame().Match(line) is { Success: true } m)
            {
                multi = m;
            }
            else if (RepeatedFields().Match(line) is { Success: true } r)
            {
                repeated = r;
            }
        }
        if (multi is null)
        {
            return None;
        }
        return new IdetCounts(Int(multi, 1), Int(multi, 2), Int(multi, 3), Int(multi, 4),
            repeated is null ? 0 : Int(repeated, 1), repeated is null ? 0 : Int(repeated, 2), repeated is null ? 0 : Int(repeated, 3));
    }

    private static int Int(Match m, int group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Multi frame detection: TFF:\s*(\d+)\s+BFF:\s*(\d+)\s+Progressive:\s*(\d+)\s+Undetermined:\s*(\d+)")]
    private static partial Regex MultiFrame();

    [GeneratedRegex(@"Repeated Fields: Neither:\s*(\d+)\s+Top:\s*(\d+)\s+Bottom:\s*(\d+)")]
    private static partial Regex RepeatedFields();
}
