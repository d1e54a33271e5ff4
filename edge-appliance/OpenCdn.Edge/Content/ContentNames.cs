using System.Text.RegularExpressions;

namespace OpenCdn.Edge.Content;

/// <summary>
/// The only names a content path may be built from. Anything else (<c>..</c>, separators, backslashes, absolute paths,
/// control characters, leading dots) is refused before a path is formed, whether it came from a request or a fill plan.
/// </summary>
internal static partial class ContentNames
{
    public static bool IsTitleId(string? value) => value is not null && TitleId().IsMatch(value);

    public static bool IsFileName(string? value) => value is not null && FileName().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    public static bool IsVersion(int version) => version is > 0 and < 1_000_000;

    /// <summary>Parses the digits after the <c>v</c> of a <c>v{version}</c> segment: no sign, no spaces, no leading zero.</summary>
    public static bool TryParseVersion(string? digits, out int version)
    {
        version = 0;
        if (digits is null || digits.Length is 0 or > 6 || digits[0] == '0')
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            version = (version * 10) + (c - '0');
        }
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TitleId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
