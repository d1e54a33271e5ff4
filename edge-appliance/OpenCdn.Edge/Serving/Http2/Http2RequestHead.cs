using System.Buffers;
using System.Text;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// An HTTP/2 request's header fields, checked as RFC 9113 §8.2–§8.3 asks and written as the HTTP/1.1 head they stand for:
/// <c>{:method} {:path} HTTP/1.1</c>, <c>host</c> from <c>:authority</c>, then the other fields as lines. That head is
/// what the direct path's strict parser judges, and what Kestrel is given for any other request. A malformed request
/// (uppercase or connection-specific names, a pseudo-header after a field or twice, CR, LF or NUL in a value, a value
/// with spaces around it, a missing pseudo-header) is a stream error. One instance per connection, reused.
/// </summary>
internal sealed class Http2RequestHead
{
    /// <summary>The most bytes of fields a request may carry once decoded: Kestrel's default total for request headers.</summary>
    public const int MaxBytes = 32 * 1024;

    private byte[] _fields = [];
    private int _length;
    private int _total;
    private string? _method;
    private string? _path;
    private string? _authority;
    private bool _scheme;
    private bool _regular;

    /// <summary>The request's method is HEAD: a response has no body, whatever its Content-Length says.</summary>
    public bool IsHead => _method == "HEAD";

    /// <summary>A field broke RFC 9113's rules: the stream is reset, the connection goes on.</summary>
    public bool Malformed { get; private set; }

    /// <summary>The fields went past <see cref="MaxBytes"/>: the connection ends, as Kestrel's HTTP/2 ends it.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>Starts a request, with a pooled buffer for its fields until <see cref="Release"/>.</summary>
    public void Reset()
    {
        Release();
        _fields = ArrayPool<byte>.Shared.Rent(MaxBytes);
        (_length, _total, _method, _path, _authority, _scheme, _regular) = (0, 0, null, null, null, false, false);
        (Malformed, TooLarge) = (false, false);
    }

    /// <summary>Gives the buffer back: a connection between requests holds none.</summary>
    public void Release()
    {
        if (_fields.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_fields);
            _fields = [];
        }
    }

    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Malformed || TooLarge)
        {
            return;
        }
        if (name.IsEmpty || !IsFieldValue(value) || (name[0] == ':' ? !AddPseudo(name, value) : !AddField(name, value)))
        {
            Malformed = true;
        }
    }

    /// <summary>
    /// Writes the HTTP/1.1 head into <paramref name="into"/> (at least <see cref="MaxBytes"/> + 64 bytes) and returns its
    /// length, or -1 when the request is malformed. For Kestrel (<paramref name="forKestrel"/>) the head says HTTP/1.0, so
    /// that the answer ends with the sub-connection and needs no chunked coding; no route of the edge reads a body.
    /// </summary>
    public int Write(Span<byte> into, bool forKestrel)
    {
        if (Malformed || _method is null || _path is null || !_scheme)
        {
            return -1;
        }
        var written = Encoding.ASCII.GetBytes($"{_method} {_path} HTTP/1.{(forKestrel ? 0 : 1)}\r\n", into);
        if (_authority is not null)
        {
            written += Encoding.ASCII.GetBytes($"host: {_authority}\r\n", into[written..]);
        }
        _fields.AsSpan(0, _length).CopyTo(into[written..]);
        written += _length;
        "\r\n"u8.CopyTo(into[written..]);
        return written + 2;
    }

    private bool AddPseudo(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_regular)
        {
            return false;
        }
        if (!Fits(name, value))
        {
            return true;
        }
        if (name.SequenceEqual(":method"u8) && _method is null && IsToken(value) && !value.IsEmpty)
        {
            _method = Encoding.ASCII.GetString(value);
            return true;
        }
        if (name.SequenceEqual(":path"u8) && _path is null && IsTarget(value))
        {
            _path = Encoding.ASCII.GetString(value);
            return true;
        }
        if (name.SequenceEqual(":authority"u8) && _authority is null)
        {
            _authority = Encoding.ASCII.GetString(value);
            return true;
        }
        if (name.SequenceEqual(":scheme"u8) && !_scheme)
        {
            _scheme = true;
            return true;
        }
        return false;
    }

    private bool AddField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _regular = true;
        if (!IsLowercaseToken(name) || IsConnectionSpecific(name) || (name.SequenceEqual("te"u8) && !value.SequenceEqual("trailers"u8)))
        {
            return false;
        }
        if ((name.SequenceEqual("host"u8) && _authority is not null) || name.SequenceEqual("content-length"u8))
        {
            return true; // :authority names the host; a body is told by the frames (and no route of the edge reads one)
        }
        if (!Fits(name, value))
        {
            return true;
        }
        name.CopyTo(_fields.AsSpan(_length));
        _length += name.Length;
        ": "u8.CopyTo(_fields.AsSpan(_length));
        value.CopyTo(_fields.AsSpan(_length + 2));
        _length += value.Length + 2;
        "\r\n"u8.CopyTo(_fields.AsSpan(_length));
        _length += 2;
        return true;
    }

    /// <summary>Counts the field against <see cref="MaxBytes"/> (as a line: the name, <c>: </c>, the value, CRLF).</summary>
    private bool Fits(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _total += name.Length + value.Length + 4;
        TooLarge = _total > MaxBytes;
        return !TooLarge;
    }

    private static bool IsConnectionSpecific(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8)
        || name.SequenceEqual("transfer-encoding"u8) || name.SequenceEqual("upgrade"u8);

    /// <summary>A request target a request line can carry: visible ASCII, from <c>/</c> (or <c>*</c>).</summary>
    private static bool IsTarget(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value[0] is not ((byte)'/' or (byte)'*'))
        {
            return false;
        }
        foreach (var b in value)
        {
            if (b is < 0x21 or > 0x7e)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>RFC 9113 §8.2.1: no NUL, CR or LF, and no space or tab at either end.</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty && (value[0] is (byte)' ' or (byte)'\t' || value[^1] is (byte)' ' or (byte)'\t'))
        {
            return false;
        }
        return value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') < 0;
    }

    private static bool IsLowercaseToken(ReadOnlySpan<byte> name) => IsToken(name) && !name.ContainsAnyInRange((byte)'A', (byte)'Z');

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
}
