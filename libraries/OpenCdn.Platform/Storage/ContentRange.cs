using System.Globalization;

namespace OpenCdn.Platform.Storage;

/// <summary>A parsed <c>Content-Range: bytes {From}-{To}/{Size}</c> response header.</summary>
internal readonly record struct ContentRange(long From, long To, long Size)
{
    public static ContentRange? Parse(string? header)
    {
        if (header is null || !header.StartsWith("bytes ", StringComparison.Ordinal))
        {
            return null;
        }
        var span = header.AsSpan(6);
        var dash = span.IndexOf('-');
        var slash = span.IndexOf('/');
        if (dash <= 0 || slash <= dash
            || !long.TryParse(span[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(span[(dash + 1)..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || !long.TryParse(span[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }
        return new ContentRange(from, to, size);
    }
}
