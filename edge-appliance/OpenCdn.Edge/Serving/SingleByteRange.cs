namespace OpenCdn.Edge.Serving;

/// <summary>
/// The one Range shape players send: a single satisfiable <c>bytes=first-last</c>, <c>bytes=first-</c> or
/// <c>bytes=-suffix</c> (RFC 9110 §14.1.2), no spaces. Anything else is left to the full range and precondition logic.
/// </summary>
internal static class SingleByteRange
{
    private const string Unit = "bytes=";

    /// <summary>True with the range clamped to <paramref name="length"/>; false if the header is anything but that shape or unsatisfiable.</summary>
    public static bool TryParse(string header, long length, out long from, out long count)
    {
        from = 0;
        count = 0;
        if (length == 0 || !header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var spec = header.AsSpan(Unit.Length);
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }
        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.IsEmpty)
        {
            if (!TryDigits(last, out var suffix) || suffix == 0)
            {
                return false;
            }
            count = Math.Min(suffix, length);
            from = length - count;
            return true;
        }
        if (!TryDigits(first, out from) || from >= length)
        {
            return false;
        }
        var end = length - 1;
        if (!last.IsEmpty && (!TryDigits(last, out end) || end < from))
        {
            return false;
        }
        count = Math.Min(end, length - 1) - from + 1;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
