using System.Globalization;

namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// The one way an expiry is written in a signed token or URL: Unix seconds in plain ASCII digits, no sign, no leading
/// zero, at most <see cref="MaxDigits"/> digits (year 5138, so nothing downstream can overflow). Any other spelling of
/// a number is rejected, so a signature covers exactly one string.
/// </summary>
public static class UnixExpiry
{
    public const int MaxDigits = 11;

    public static string Format(long unixSeconds) => unixSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="unixSeconds"/> can be written the one accepted way (and so ever be accepted).</summary>
    public static bool IsValid(long unixSeconds) => unixSeconds is > 0 and <= 99_999_999_999;

    public static bool TryParse(ReadOnlySpan<char> text, out long unixSeconds)
    {
        unixSeconds = 0;
        if (text.Length is 0 or > MaxDigits || text[0] == '0')
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            unixSeconds = unixSeconds * 10 + (c - '0');
        }
        return true;
    }
}
