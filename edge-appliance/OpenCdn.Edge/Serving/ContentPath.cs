using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Serving;

/// <summary>Splits a decoded request path <c>/c/{token}/{titleId}/v{version}/{file}</c> without the router.</summary>
internal static class ContentPath
{
    public const string Prefix = "/c/";

    /// <summary>False for anything but exactly four non-empty segments after <c>/c/</c> that name a valid content key.</summary>
    public static bool TryParse(string path, out string token, out ContentKey key)
    {
        token = string.Empty;
        key = default;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = path.AsSpan(Prefix.Length);
        Span<Range> parts = stackalloc Range[5];
        if (rest.Split(parts, '/') != 4)
        {
            return false;
        }
        var versionSegment = rest[parts[2]];
        if (rest[parts[0]].IsEmpty || versionSegment.Length < 2 || versionSegment[0] != 'v')
        {
            return false;
        }
        var titleId = rest[parts[1]].ToString();
        var file = rest[parts[3]].ToString();
        if (!ContentNames.IsTitleId(titleId) || !ContentNames.IsFileName(file)
            || !ContentNames.TryParseVersion(versionSegment[1..].ToString(), out var version))
        {
            return false;
        }
        token = rest[parts[0]].ToString();
        key = new ContentKey(titleId, version, file);
        return true;
    }
}
