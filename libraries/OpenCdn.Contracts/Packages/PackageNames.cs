using System.Text.RegularExpressions;

namespace OpenCdn.Contracts.Packages;

/// <summary>
/// The title ids and package versions every service accepts: what the control plane issues, what a fill plan or a
/// heartbeat may name, what an edge builds a content path from.
/// </summary>
public static partial class PackageNames
{
    public const int MaxTitleIdLength = 64;

    public const int MaxVersion = 999_999;

    public static bool IsTitleId(string? value) => value is not null && TitleId().IsMatch(value);

    public static bool IsVersion(int version) => version is >= 1 and <= MaxVersion;

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TitleId();
}
