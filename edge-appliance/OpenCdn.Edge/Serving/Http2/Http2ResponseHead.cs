using System.Buffers;
using System.Text;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// Turns an HTTP/1.1 response head — the direct path's own (<see cref="Direct.DirectResponse"/>) or Kestrel's for any
/// other request — into an HPACK header block: <c>:status</c>, then every field with its name in lowercase, except the
/// connection-specific ones HTTP/2 forbids. Fields are sent as literals without indexing, with the static table's name
/// where it has one, and no Huffman coding: nothing to keep in step with the client, and a few hundred bytes a response.
/// </summary>
internal static class Http2ResponseHead
{
    private const int MaxNameBytes = 256;

    /// <summary>
    /// The block's length, or -1 when <paramref name="head"/> is not a response head or the block does not fit
    /// <paramref name="into"/>.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> head, Span<byte> into)
    {
        var end = head.IndexOf("\r\n"u8);
        if (end < 12 || !head.StartsWith("HTTP/1."u8) || !int.TryParse(head.Slice(9, 3), out var status))
        {
            return -1;
        }
        var written = Status(status, into);
        Span<char> lower = stackalloc char[MaxNameBytes];
        for (var lines = head[(end + 2)..]; ; lines = lines[(end + 2)..])
        {
            end = lines.IndexOf("\r\n"u8);
            if (end <= 0)
            {
                return end == 0 ? written : -1; // the blank line ends the head
            }
            var line = lines[..end];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || colon > MaxNameBytes)
            {
                return -1;
            }
            var name = lower[..colon];
            if (Ascii.ToLower(line[..colon], name, out _) != OperationStatus.Done)
            {
                return -1;
            }
            if (IsConnectionSpecific(name))
            {
                continue;
            }
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (into.Length - written < name.Length + value.Length + 12)
            {
                return -1;
            }
            var index = HpackStaticTable.IndexOf(name);
            written += Integer(index, 4, 0x00, into[written..]);
            if (index == 0)
            {
                written += Integer(name.Length, 7, 0x00, into[written..]);
                written += Encoding.ASCII.GetBytes(name, into[written..]);
            }
            written += Integer(value.Length, 7, 0x00, into[written..]);
            value.CopyTo(into[written..]);
            written += value.Length;
        }
    }

    private static bool IsConnectionSpecific(ReadOnlySpan<char> name) =>
        name is "connection" or "keep-alive" or "proxy-connection" or "transfer-encoding" or "upgrade";

    /// <summary><c>:status</c>: the static table's entry for the common codes, else a literal with its name.</summary>
    private static int Status(int status, Span<byte> into)
    {
        byte? indexed = status switch { 200 => 8, 204 => 9, 206 => 10, 304 => 11, 400 => 12, 404 => 13, 500 => 14, _ => null };
        if (indexed is { } index)
        {
            into[0] = (byte)(0x80 | index);
            return 1;
        }
        into[0] = 0x08; // literal without indexing, the name of entry 8
        into[1] = 3;
        Encoding.ASCII.GetBytes(status.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), into[2..]);
        return 5;
    }

    /// <summary>An integer with an N-bit prefix (RFC 7541 §5.1) after <paramref name="flags"/>.</summary>
    private static int Integer(int value, int prefixBits, byte flags, Span<byte> into)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            into[0] = (byte)(flags | value);
            return 1;
        }
        into[0] = (byte)(flags | max);
        var written = 1;
        for (value -= max; value >= 0x80; value >>= 7)
        {
            into[written++] = (byte)((value & 0x7f) | 0x80);
        }
        into[written++] = (byte)value;
        return written;
    }
}
