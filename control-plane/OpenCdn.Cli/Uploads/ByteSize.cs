using System.CommandLine.Parsing;
using System.Globalization;

namespace OpenCdn.Cli.Uploads;

/// <summary>Sizes on the command line: a number of bytes with an optional K, M or G suffix (powers of 1024), e.g. <c>8M</c>.</summary>
internal static class ByteSize
{
    public static long Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (TryParse(text, out var bytes) && bytes > 0)
        {
            return bytes;
        }
        result.AddError($"'{text}' is not a size: use a number of bytes, optionally with K, M or G (e.g. 8M).");
        return 0;
    }

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
        {
            return false;
        }
        var shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        var digits = shift == 0 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > (long.MaxValue >> shift))
        {
            return false;
        }
        bytes = value << shift;
        return true;
    }

    /// <summary>A size for people: <c>3.2 MiB</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
