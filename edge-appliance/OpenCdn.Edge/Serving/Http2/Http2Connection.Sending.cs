using System.Buffers;
using System.Text;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// The sending half: streams take turns, each turn one <c>SSL_write</c> of up to 64 KiB — the response's HEADERS first,
/// then DATA frames as far as the stream's and the connection's windows allow. A file's bytes are read with one
/// <c>preadv</c> straight into the frames' payloads, as the HTTP/1.1 direct TLS path reads into its records.
/// </summary>
internal sealed partial class Http2Connection
{
    private const int WriteBytes = 64 * 1024;
    private const int MaxHeadBytes = 16 * 1024;

    /// <summary>A turn starts only with this much room left: a response's HEADERS and the start of its body.</summary>
    private const int MinTurnBytes = 4 * 1024;

    private readonly Memory<byte>[] _slots = new Memory<byte>[WriteBytes / Http2Frame.MaxFrameSize + 1];
    private readonly List<Http2Stream> _finished = [];
    private int _turn;

    /// <summary>
    /// Gives the streams that can send their turns, in order, until 64 KiB of frames are gathered: the direct responses'
    /// frames go out in one <c>SSL_write</c> (many small responses share a record), Kestrel's answers in their own. True
    /// when anything was sent (there may be more), null when nothing could be, false when the connection failed.
    /// </summary>
    private async ValueTask<bool?> SendTurnAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(WriteBytes);
        var (written, sent) = (0, false);
        try
        {
            for (var tried = 0; tried < _streams.Count && WriteBytes - written >= MinTurnBytes; tried++)
            {
                _turn = (_turn + 1) % _streams.Count;
                var stream = _streams[_turn];
                var turn = stream.Fallback is null ? AppendContent(stream, buffer, ref written) : SendFallback(stream);
                if (turn == false)
                {
                    return false;
                }
                sent |= turn == true;
            }
            if (written > 0 && !session.Write(buffer.AsSpan(0, written)))
            {
                return false;
            }
            foreach (var stream in _finished)
            {
                shared.Metrics.ContentServed(stream.Content.Partial, stream.IsHead ? 0 : stream.Content.Count);
                shared.Metrics.DirectTlsServed();
                if (!End(stream))
                {
                    return false;
                }
            }
        }
        finally
        {
            _finished.Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (!sent)
        {
            return null;
        }
        return !session.HasPending || await session.FlushAsync() == SendOutcome.Sent;
    }

    /// <summary>
    /// Appends a direct response's turn to <paramref name="buffer"/>: null when it cannot send now, true when it appended,
    /// false when the connection failed. A response sent whole waits in <see cref="_finished"/> until its frames are out.
    /// </summary>
    private bool? AppendContent(Http2Stream stream, byte[] buffer, ref int written)
    {
        if (stream.HeadSent && (stream.Left == 0 || stream.Window <= 0 || _sendWindow <= 0))
        {
            return null;
        }
        var start = written;
        if (!stream.HeadSent)
        {
            var head = WriteContentHead(stream, buffer.AsSpan(written));
            if (head < 0)
            {
                return written > 0 ? null : ResetStream(stream.Id, Http2Error.InternalError) is null; // no room left, or too long
            }
            written += head;
        }
        var (slots, bytes, from) = (0, 0, stream.Offset);
        while (stream.Left > 0 && stream.Window > 0 && _sendWindow > 0 && WriteBytes - written > Http2Frame.HeaderBytes)
        {
            var count = (int)Math.Min(Math.Min(stream.Left, Math.Min(stream.Window, _sendWindow)),
                Math.Min(_maxFrame, WriteBytes - written - Http2Frame.HeaderBytes));
            (stream.Left, stream.Window, _sendWindow) = (stream.Left - count, stream.Window - count, _sendWindow - count);
            Http2Frame.WriteHeader(buffer.AsSpan(written), count, Http2Frame.Data, stream.Left == 0 ? Http2Frame.EndStream : (byte)0, stream.Id);
            _slots[slots++] = buffer.AsMemory(written + Http2Frame.HeaderBytes, count);
            written += Http2Frame.HeaderBytes + count;
            bytes += count;
        }
        var outcome = slots == 1 ? stream.Content.Read(_slots[0].Span, from)
            : stream.Content.Read(new ArraySegment<Memory<byte>>(_slots, 0, slots), bytes, from);
        _slots.AsSpan(0, slots).Clear();
        if (outcome != SendOutcome.Sent)
        {
            written = start; // none of this stream's frames go out: it is reset instead
            _sendWindow += bytes;
            shared.Faults.CutShort(outcome, stream.Content, "direct HTTP/2");
            return ResetStream(stream.Id, Http2Error.InternalError) is null;
        }
        stream.Offset += bytes;
        if (stream.Left == 0)
        {
            _finished.Add(stream);
        }
        return true;
    }

    /// <summary>The response's HEADERS frame at the start of <paramref name="into"/>: its length, or -1.</summary>
    private int WriteContentHead(Http2Stream stream, Span<byte> into)
    {
        var response = stream.Content;
        var cors = shared.Settings.Cors.For(stream.Origin);
        Span<byte> head = stackalloc byte[MaxHeadBytes];
        if (DirectResponse.MaxBytes(response.File, shared.Settings.CacheControl, cors) > head.Length)
        {
            return -1;
        }
        var length = DirectResponse.Write(
            head, response.File, shared.Settings.CacheControl, cors, response.Partial, response.From, response.Count, close: false);
        length = WriteHeaders(stream, head[..length], into, endsStream: stream.Left == 0);
        stream.HeadSent = length >= 0;
        return length;
    }

    /// <summary>An HTTP/1.1 head as a HEADERS frame (and CONTINUATIONs past the client's frame size) into <paramref name="into"/>.</summary>
    private int WriteHeaders(Http2Stream stream, ReadOnlySpan<byte> head, Span<byte> into, bool endsStream)
    {
        Span<byte> block = stackalloc byte[MaxHeadBytes];
        var length = Http2ResponseHead.Encode(head, block);
        if (length < 0 || length + (2 * Http2Frame.HeaderBytes) > into.Length)
        {
            return -1;
        }
        var (written, type) = (0, Http2Frame.Headers);
        do
        {
            var part = Math.Min(length, _maxFrame);
            var flags = (byte)((part == length ? Http2Frame.EndHeaders : 0) | (endsStream && type == Http2Frame.Headers ? Http2Frame.EndStream : 0));
            Http2Frame.WriteHeader(into[written..], part, type, flags, stream.Id);
            block[..part].CopyTo(into[(written + Http2Frame.HeaderBytes)..]);
            block = block[part..];
            (written, length, type) = (written + Http2Frame.HeaderBytes + part, length - part, Http2Frame.Continuation);
        }
        while (length > 0);
        return written;
    }

    /// <summary>One turn of Kestrel's response: its head once whole, then what body it has written, as the windows allow.</summary>
    private bool? SendFallback(Http2Stream stream)
    {
        var fallback = stream.Fallback!;
        var signaled = fallback.TakeSignal();
        if (!signaled && !(stream.FallbackWaiting && stream.Window > 0 && _sendWindow > 0))
        {
            return null;
        }
        if (!fallback.Response.TryRead(out var result))
        {
            return null;
        }
        var buffer = result.Buffer;
        var consumed = buffer.Start;
        var frames = ArrayPool<byte>.Shared.Rent(WriteBytes);
        try
        {
            var written = 0;
            if (!stream.HeadSent)
            {
                Span<byte> copy = stackalloc byte[MaxHeadBytes];
                var headLength = FindHead(buffer, copy);
                if (headLength < 0)
                {
                    fallback.Response.AdvanceTo(consumed, buffer.End);
                    return result.IsCompleted || buffer.Length > MaxHeadBytes ? ResetStream(stream.Id, Http2Error.InternalError) is null : null;
                }
                var head = copy[..headLength];
                written = WriteHeaders(stream, head, frames, endsStream: false);
                if (written < 0)
                {
                    fallback.Response.AdvanceTo(consumed, buffer.End);
                    return ResetStream(stream.Id, Http2Error.InternalError) is null;
                }
                stream.HeadSent = true;
                stream.FallbackLength = stream.IsHead ? -1 : BodyLength(head);
                buffer = buffer.Slice(headLength);
                consumed = buffer.Start;
            }
            while (!buffer.IsEmpty && stream.Window > 0 && _sendWindow > 0 && WriteBytes - written > 2 * Http2Frame.HeaderBytes)
            {
                var count = (int)Math.Min(Math.Min(buffer.Length, Math.Min(stream.Window, _sendWindow)),
                    Math.Min(_maxFrame, WriteBytes - written - (2 * Http2Frame.HeaderBytes)));
                Http2Frame.WriteHeader(frames.AsSpan(written), count, Http2Frame.Data, 0, stream.Id);
                buffer.Slice(0, count).CopyTo(frames.AsSpan(written + Http2Frame.HeaderBytes));
                (written, buffer) = (written + Http2Frame.HeaderBytes + count, buffer.Slice(count));
                (stream.Window, _sendWindow, stream.FallbackSent) = (stream.Window - count, _sendWindow - count, stream.FallbackSent + count);
            }
            consumed = buffer.Start;
            var finished = result.IsCompleted && buffer.IsEmpty;
            stream.FallbackWaiting = !buffer.IsEmpty;
            fallback.Response.AdvanceTo(consumed, result.Buffer.End);
            if (finished)
            {
                if (stream.FallbackLength >= 0 && stream.FallbackLength != stream.FallbackSent)
                {
                    return (written == 0 || session.Write(frames.AsSpan(0, written))) && ResetStream(stream.Id, Http2Error.InternalError) is null;
                }
                Http2Frame.WriteHeader(frames.AsSpan(written), 0, Http2Frame.Data, Http2Frame.EndStream, stream.Id);
                written += Http2Frame.HeaderBytes;
            }
            if (written > 0 && !session.Write(frames.AsSpan(0, written)))
            {
                return false;
            }
            return finished ? End(stream) : written > 0 ? true : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frames);
        }
    }

    /// <summary>
    /// The length of the head at the start of <paramref name="buffer"/>, copied into <paramref name="copy"/>; -1 while it is
    /// not whole.
    /// </summary>
    private static int FindHead(in ReadOnlySequence<byte> buffer, Span<byte> copy)
    {
        var bytes = copy[..(int)Math.Min(buffer.Length, copy.Length)];
        buffer.Slice(0, bytes.Length).CopyTo(bytes);
        var end = bytes.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>
    /// The body length Kestrel's head promises: its Content-Length, or -1 when it has none or the status has no body
    /// (1xx, 204, 304) and what arrives is what is sent.
    /// </summary>
    private static long BodyLength(ReadOnlySpan<byte> head)
    {
        var status = head.Length > 12 && int.TryParse(head.Slice(9, 3), out var code) ? code : 0;
        if (status is < 200 or 204 or 304)
        {
            return -1;
        }
        foreach (var line in head.Split("\r\n"u8))
        {
            var field = head[line];
            if (field.Length > 15 && Ascii.EqualsIgnoreCase(field[..15], "content-length:"u8)
                && long.TryParse(field[15..].Trim(" \t"u8), out var length))
            {
                return length;
            }
        }
        return -1;
    }

    /// <summary>The response went out whole: the stream ends, and a client still sending its body is told to stop (RST_STREAM NO_ERROR).</summary>
    private bool End(Http2Stream stream)
    {
        Remove(stream);
        return stream.ClientEnded || WriteWord(Http2Frame.RstStream, stream.Id, (uint)Http2Error.NoError) is null;
    }

    /// <summary>Wakes the loop from its wait for the client: Kestrel wrote part of a response.</summary>
    private void Wake() => _input.CancelPendingRead();
}
