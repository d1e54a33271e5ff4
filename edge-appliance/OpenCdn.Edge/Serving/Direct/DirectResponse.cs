using System.Globalization;
using System.Text.Unicode;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>The status line and headers of a 200 or 206 content response, as the full path's file result writes them.</summary>
internal static class DirectResponse
{
    private static DateLine s_date = new(0, string.Empty);

    /// <summary>Enough for every fixed name and number; <see cref="Write"/> adds the lengths of the variable values.</summary>
    private const int FixedBytes = 512;

    public static int MaxBytes(ServableFile file, string cacheControl, byte[] corsLines) =>
        FixedBytes + file.ContentType.Length + file.EntityTag.Length + file.LastModified.Length + cacheControl.Length + corsLines.Length;

    /// <summary>Writes the head into <paramref name="into"/> (at least <see cref="MaxBytes"/> long) and returns its length.</summary>
    public static int Write(
        Span<byte> into, ServableFile file, string cacheControl, byte[] corsLines, bool partial, long from, long count, bool close)
    {
        var status = partial ? "206 Partial Content" : "200 OK";
        Utf8.TryWrite(into, CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status}\r\nContent-Length: {count}\r\nContent-Type: {file.ContentType}\r\nDate: {Now()}\r\nAccept-Ranges: bytes\r\n",
            out var written);
        Utf8.TryWrite(into[written..], CultureInfo.InvariantCulture,
            $"ETag: {file.EntityTag}\r\nLast-Modified: {file.LastModified}\r\nCache-Control: {cacheControl}\r\n", out var validators);
        written += validators;
        if (partial)
        {
            Utf8.TryWrite(
                into[written..], CultureInfo.InvariantCulture, $"Content-Range: bytes {from}-{from + count - 1}/{file.Length}\r\n", out var range);
            written += range;
        }
        corsLines.CopyTo(into[written..]);
        written += corsLines.Length;
        var end = close ? "Connection: close\r\n\r\n"u8 : "\r\n"u8;
        end.CopyTo(into[written..]);
        return written + end.Length;
    }

    /// <summary>The IMF-fixdate of this second (RFC 9110 §6.6.1), formatted once a second.</summary>
    private static string Now()
    {
        var second = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond;
        var date = s_date;
        if (date.Second != second)
        {
            date = new DateLine(second, new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc).ToString("R", CultureInfo.InvariantCulture));
            s_date = date;
        }
        return date.Text;
    }

    private sealed record DateLine(long Second, string Text);
}
