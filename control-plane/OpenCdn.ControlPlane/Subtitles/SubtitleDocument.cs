using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenCdn.ControlPlane.Subtitles;

/// <summary>
/// A sidecar subtitle file (SubRip or WebVTT) read into cues and written back as plain WebVTT. Cue settings, styles,
/// regions and notes are dropped; cue text keeps its inline tags. Anything that is not a cue list is refused with a
/// sentence saying where it went wrong.
/// </summary>
internal static partial class SubtitleDocument
{
    public const int MaxCues = 20_000;
    private const int MaxCueLines = 10;

    public sealed record Cue(TimeSpan Start, TimeSpan End, string Text);

    /// <summary>The cues of <paramref name="body"/> (UTF-8, a byte-order mark allowed), or why it is not a subtitle file.</summary>
    public static (IReadOnlyList<Cue>? Cues, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The file is not UTF-8 text.");
        }
        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            return (null, "The file holds control characters; it is not a subtitle file.");
        }
        var blocks = text.Split("\n\n").Select(b => b.Trim('\n')).Where(b => b.Length > 0).ToList();
        var webVtt = blocks.Count > 0 && WebVttHeader().IsMatch(blocks[0]);
        if (webVtt)
        {
            blocks.RemoveAt(0);
        }
        var cues = new List<Cue>();
        foreach (var block in blocks)
        {
            var lines = block.Split('\n');
            if (webVtt && (lines[0].StartsWith("NOTE", StringComparison.Ordinal) || lines[0] is "STYLE" or "REGION"))
            {
                continue;
            }
            var timing = lines[0].Contains("-->", StringComparison.Ordinal) ? 0 : 1;
            if (timing >= lines.Length || Timing().Match(lines[timing]) is not { Success: true } match)
            {
                return (null, $"Cue {cues.Count + 1} has no timing line ('00:00:01,000 --> 00:00:02,000'): '{Excerpt(block)}'.");
            }
            var start = TimeOf(match.Groups["start"].Value);
            var end = TimeOf(match.Groups["end"].Value);
            if (start is null || end is null || end <= start)
            {
                return (null, $"Cue {cues.Count + 1} has an impossible time range: '{Excerpt(lines[timing])}'.");
            }
            var cueLines = lines[(timing + 1)..];
            if (cueLines.Length == 0 || cueLines.Length > MaxCueLines)
            {
                return (null, $"Cue {cues.Count + 1} needs 1 to {MaxCueLines} lines of text.");
            }
            if (cues.Count == MaxCues)
            {
                return (null, $"The file has more than {MaxCues} cues.");
            }
            // "-->" may not appear in WebVTT cue text.
            cues.Add(new Cue(start.Value, end.Value, string.Join('\n', cueLines).Replace("-->", "->", StringComparison.Ordinal)));
        }
        return cues.Count == 0 ? (null, "The file has no cues.") : (cues, null);
    }

    public static string ToWebVtt(IReadOnlyList<Cue> cues)
    {
        var vtt = new StringBuilder("WEBVTT\n\n");
        foreach (var cue in cues)
        {
            vtt.Append(Stamp(cue.Start)).Append(" --> ").Append(Stamp(cue.End)).Append('\n').Append(cue.Text).Append("\n\n");
        }
        return vtt.ToString();
    }

    private static string Stamp(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");

    /// <summary><c>[hh:]mm:ss[,.]mmm</c>: SubRip writes a comma, WebVTT a full stop and may leave the hours out.</summary>
    private static TimeSpan? TimeOf(string stamp)
    {
        var m = StampPattern().Match(stamp);
        if (!m.Success)
        {
            return null;
        }
        int Part(string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        if (Part("m") > 59 || Part("s") > 59)
        {
            return null;
        }
        return new TimeSpan(0, Part("h"), Part("m"), Part("s"), Part("ms"));
    }

    private static string Excerpt(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length > 60 ? line[..60] + "…" : line;
    }

    [GeneratedRegex(@"\AWEBVTT([ \t].*)?(\n|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex WebVttHeader();

    [GeneratedRegex(@"\A(?<start>[0-9:.,]{5,14})[ \t]+-->[ \t]+(?<end>[0-9:.,]{5,14})([ \t].*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Timing();

    [GeneratedRegex(@"\A((?<h>[0-9]{1,3}):)?(?<m>[0-9]{2}):(?<s>[0-9]{2})[,.](?<ms>[0-9]{3})\z", RegexOptions.CultureInvariant)]
    private static partial Regex StampPattern();
}
