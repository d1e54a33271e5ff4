using Microsoft.AspNetCore.Http.Headers;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// The single byte range a request asks for (RFC 9110 §14): <see cref="None"/> when there is no Range, or one that must
/// be ignored (other unit, several ranges, bad syntax, failed If-Range); <see cref="Unsatisfiable"/> for 416.
/// </summary>
internal readonly record struct ByteRange(long From, long Length, bool Requested, bool Satisfiable)
{
    public static ByteRange None(long length) => new(0, length, Requested: false, Satisfiable: true);

    public static ByteRange Unsatisfiable { get; } = new(0, 0, Requested: true, Satisfiable: false);

    public static ByteRange Parse(HttpRequest request, RequestHeaders headers, long length)
    {
        var raw = request.Headers.Range;
        if (raw.Count != 1 || !raw[0]!.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return None(length); // §14.2: ignore a unit we do not know
        }
        if (headers.Range is not { } range || range.Ranges.Count != 1)
        {
            return None(length); // invalid syntax, or several ranges: served whole, as §14.2 allows
        }
        var only = range.Ranges.First();
        if (only.From is not { } from)
        {
            var suffix = only.To ?? 0;
            return suffix <= 0 || length == 0 ? Unsatisfiable : new(Math.Max(0, length - suffix), Math.Min(suffix, length), true, true); // §14.1.2
        }
        if (from >= length)
        {
            return Unsatisfiable; // §14.1.1: first-pos at or past the end
        }
        var to = Math.Min(only.To ?? (length - 1), length - 1);
        return to < from ? None(length) : new(from, to - from + 1, true, true);
    }
}
