using System.Buffers;
using System.Text;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// A plaintext HTTP/1.1 request head of the one shape <see cref="DirectConnections"/> answers itself:
/// <c>GET|HEAD /c/…</c> in origin form, one plain <c>Host</c>, at most one <c>Range</c> and one <c>Origin</c>, no body, no
/// precondition, no upgrade. Parsing is strict (RFC 9112 §2–§5): CRLF line ends, token header names, visible-ASCII values.
/// Anything else, including a head not yet complete, is not this shape, and Kestrel parses it instead.
/// </summary>
internal readonly record struct DirectRequest(bool IsHead, string Path, string? Range, string? Origin, bool Close)
{
    /// <summary>Longer heads go to Kestrel, which applies its own limits to them.</summary>
    public const int MaxHeadBytes = 8 * 1024;
    private const int MaxHeaderLines = 100;

    /// <summary>Parses the head at the start of <paramref name="bytes"/>; <paramref name="length"/> is its length with the blank line.</summary>
    public static bool TryParse(in ReadOnlySequence<byte> bytes, out DirectRequest request, out int length)
    {
        if (bytes.IsSingleSegment)
        {
            return TryParse(bytes.FirstSpan, out request, out length);
        }
        Span<byte> copy = stackalloc byte[(int)Math.Min(bytes.Length, MaxHeadBytes)];
        bytes.Slice(0, copy.Length).CopyTo(copy);
        return TryParse(copy, out request, out length);
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out DirectRequest request, out int length)
    {
        request = default;
        length = bytes[..Math.Min(bytes.Length, MaxHeadBytes)].IndexOf("\r\n\r\n"u8) + 4;
        if (length < 4)
        {
            return false;
        }
        var lines = bytes[..(length - 2)]; // every line, each ending with CRLF
        var end = lines.IndexOf("\r\n"u8);
        if (!TryParseRequestLine(lines[..end], out var isHead, out var path))
        {
            return false;
        }
        string? range = null, origin = null;
        int hosts = 0, count = 0;
        var close = false;
        for (lines = lines[(end + 2)..]; !lines.IsEmpty; lines = lines[(end + 2)..])
        {
            end = lines.IndexOf("\r\n"u8);
            var line = lines[..end];
            var colon = line.IndexOf((byte)':');
            if (++count > MaxHeaderLines || colon <= 0 || !IsToken(line[..colon]))
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!IsFieldValue(value))
            {
                return false;
            }
            if (Is(name, "host"u8))
            {
                if (!IsHost(value))
                {
                    return false;
                }
                hosts++;
            }
            else if (Is(name, "range"u8))
            {
                if (range is not null)
                {
                    return false;
                }
                range = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "origin"u8))
            {
                if (origin is not null)
                {
                    return false;
                }
                origin = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "connection"u8))
            {
                close |= HasCloseOption(value);
            }
            else if (IsLeftToKestrel(name))
            {
                return false;
            }
        }
        request = new DirectRequest(isHead, path, range, origin, close);
        return hosts == 1;
    }

    /// <summary><c>GET|HEAD SP /c/… SP HTTP/1.1</c>, the target made only of the characters content paths use (no query, no escapes).</summary>
    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out bool isHead, out string path)
    {
        path = string.Empty;
        isHead = line.StartsWith("HEAD /c/"u8);
        if (!isHead && !line.StartsWith("GET /c/"u8))
        {
            return false;
        }
        var target = line[(isHead ? 5 : 4)..];
        var space = target.IndexOf((byte)' ');
        if (space < 0 || !target[(space + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            return false;
        }
        target = target[..space];
        foreach (var b in target)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'/' or (byte)'.' or (byte)'-' or (byte)'_'))
            {
                return false;
            }
        }
        path = Encoding.ASCII.GetString(target);
        return true;
    }

    /// <summary>Headers whose meaning this path does not implement: a body, preconditions, upgrades, expectations.</summary>
    private static bool IsLeftToKestrel(ReadOnlySpan<byte> name) =>
        Is(name, "content-length"u8) || Is(name, "transfer-encoding"u8) || Is(name, "expect"u8) || Is(name, "upgrade"u8)
        || (name.Length > 3 && Is(name[..3], "if-"u8));

    private static bool HasCloseOption(ReadOnlySpan<byte> value)
    {
        foreach (var option in value.Split((byte)','))
        {
            if (Is(value[option].Trim(" \t"u8), "close"u8))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowercase) => Ascii.EqualsIgnoreCase(name, lowercase);

    /// <summary>
    /// A host name, IPv4 address or bracketed IPv6 literal with an optional port, in the characters those use (RFC 9112
    /// §3.2, RFC 3986 §3.2.2); anything else — empty, userinfo, spaces, percent-escapes — Kestrel judges (400).
    /// </summary>
    private static bool IsHost(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_' or (byte)':' or (byte)'[' or (byte)']'))
            {
                return false;
            }
        }
        return !value.IsEmpty;
    }

    /// <summary>RFC 9110 §5.6.2 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Visible ASCII, spaces and tabs only: no control characters, no obs-text (Kestrel decides about those).</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is not (>= 0x20 and <= 0x7e or (byte)'\t'))
            {
                return false;
            }
        }
        return true;
    }
}
