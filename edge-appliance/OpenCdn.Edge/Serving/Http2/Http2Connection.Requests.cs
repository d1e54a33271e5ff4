using System.Buffers;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// The requests: HEADERS and CONTINUATION gathered into one block, decoded, and each new stream answered by the direct path
/// or handed to Kestrel (<see cref="Http2Fallback"/>).
/// </summary>
internal sealed partial class Http2Connection
{
    /// <summary>The most bytes a header block (HEADERS and its CONTINUATIONs) may take, coded: as many as it may decode to.</summary>
    private const int MaxBlockBytes = Http2RequestHead.MaxBytes;

    private byte[]? _block;
    private long _blockDeadline; // Environment.TickCount64 by which the block must be whole
    private int _blockLength;
    private int _blockStream;
    private bool _blockEndsStream;

    /// <summary>Requests Kestrel is answering, their streams open or not: at most as many as streams may be open.</summary>
    private int _kestrelRequests;

    private Http2Error? OnHeaders(byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if (stream == 0 || stream % 2 == 0)
        {
            return Http2Error.ProtocolError;
        }
        if ((flags & Http2Frame.Padded) != 0)
        {
            if (payload.IsEmpty || payload[0] >= payload.Length)
            {
                return Http2Error.ProtocolError;
            }
            payload = payload[1..^payload[0]];
        }
        if ((flags & Http2Frame.PriorityFlag) != 0)
        {
            if (payload.Length < 5)
            {
                return Http2Error.FrameSizeError;
            }
            payload = payload[5..];
        }
        var endsStream = (flags & Http2Frame.EndStream) != 0;
        if ((flags & Http2Frame.EndHeaders) != 0)
        {
            return OnHeaderBlock(stream, endsStream, payload);
        }
        _block = ArrayPool<byte>.Shared.Rent(MaxBlockBytes);
        _blockDeadline = Environment.TickCount64 + (long)shared.HeadersTimeout.TotalMilliseconds;
        payload.CopyTo(_block);
        (_blockLength, _blockStream, _blockEndsStream) = (payload.Length, stream, endsStream);
        return null;
    }

    private Http2Error? OnContinuation(byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        if (_blockStream == 0 || stream != _blockStream)
        {
            return Http2Error.ProtocolError;
        }
        if (_blockLength + payload.Length > MaxBlockBytes)
        {
            return Http2Error.EnhanceYourCalm;
        }
        payload.CopyTo(_block.AsSpan(_blockLength));
        _blockLength += payload.Length;
        if ((flags & Http2Frame.EndHeaders) == 0)
        {
            return null;
        }
        var error = OnHeaderBlock(_blockStream, _blockEndsStream, _block.AsSpan(0, _blockLength));
        ReturnBlock();
        return error;
    }

    /// <summary>A whole header block: decoded always (the table must stay in step), then a new request, or trailers.</summary>
    private Http2Error? OnHeaderBlock(int stream, bool endsStream, ReadOnlySpan<byte> block)
    {
        _head.Reset();
        try
        {
            if (!_decoder.Decode(block, _head))
            {
                return Http2Error.CompressionError;
            }
            if (_head.TooLarge)
            {
                return Http2Error.ProtocolError;
            }
            if (stream <= _lastStreamId)
            {
                var open = Find(stream);
                if (open is null || open.ClientEnded || !endsStream)
                {
                    return Http2Error.StreamClosed; // a second HEADERS is only the trailers of a request still sending
                }
                open.ClientEnded = true;
                return null;
            }
            _lastStreamId = stream;
            if (_goingAway || _streams.Count >= shared.MaxStreams)
            {
                return ResetStream(stream, Http2Error.RefusedStream);
            }
            return StartRequest(stream, endsStream);
        }
        finally
        {
            _head.Release();
        }
    }

    /// <summary>The direct path answers a content request it can serve whole; Kestrel answers the rest.</summary>
    private Http2Error? StartRequest(int id, bool endsStream)
    {
        var head = ArrayPool<byte>.Shared.Rent(Http2RequestHead.MaxBytes + 64);
        try
        {
            var length = _head.Write(head, forKestrel: false);
            if (length < 0)
            {
                return ResetStream(id, Http2Error.ProtocolError); // malformed (RFC 9113 §8.1.1)
            }
            Http2Stream stream;
            if (endsStream && DirectRequest.TryParse(head.AsSpan(0, length), out var request, out _)
                && ContentResponse.TryResolve(request.Path, request.Range, shared.Tokens, shared.Catalog, out var response))
            {
                var body = request.IsHead ? 0 : response.Count;
                stream = new Http2Stream(id, _streamWindow)
                {
                    Content = response,
                    IsHead = request.IsHead,
                    Origin = request.Origin,
                    Offset = response.From,
                    Left = body,
                };
            }
            else
            {
                if (Volatile.Read(ref _kestrelRequests) >= shared.MaxStreams)
                {
                    return Http2Error.EnhanceYourCalm; // streams reset faster than Kestrel ends their requests (rapid reset)
                }
                Interlocked.Increment(ref _kestrelRequests);
                length = _head.Write(head, forKestrel: true);
                stream = new Http2Stream(id, _streamWindow)
                {
                    IsHead = _head.IsHead,
                    Fallback = Http2Fallback.Start(connection, head.AsSpan(0, length), next, Wake, KestrelDone),
                };
            }
            stream.ClientEnded = endsStream;
            _streams.Add(stream);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private void KestrelDone() => Interlocked.Decrement(ref _kestrelRequests);

    private void ReturnBlock()
    {
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            (_block, _blockLength, _blockStream) = (null, 0, 0);
        }
    }
}
