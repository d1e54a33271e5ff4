using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using OpenCdn.Edge.Serving.Tls;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// One HTTP/2 connection over a TLS session, run by one loop: it decrypts what the client sent and handles every frame
/// (<see cref="Http2Connection"/>'s receiving half), then gives one stream a turn to send — a HEADERS frame and up to
/// 64 KiB of DATA frames, encrypted by one <c>SSL_write</c> (<see cref="Http2Connection"/>'s sending half) — in turn
/// among the streams that have bytes and window. It waits for the client only when no stream can send. A connection at
/// rest holds no buffer.
/// </summary>
internal sealed partial class Http2Connection(Http2Requests shared, ConnectionContext connection, TlsSession session, ConnectionDelegate next)
    : IDisposable
{
    private const int ReadBytes = 32 * 1024;
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private readonly PipeReader _input = connection.Transport.Input;
    private readonly CancellationToken _closing =
        connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
    private readonly HpackDecoder _decoder = new();
    private readonly Http2RequestHead _head = new();
    private readonly List<Http2Stream> _streams = [];
    private byte[]? _plain;
    private int _start;
    private int _end;
    private bool _decryptedMore;
    private bool _prefaceSeen;
    private bool _settingsSeen;
    private int _lastStreamId;
    private bool _goingAway;
    private CancellationTokenSource? _idle;

    public async Task RunAsync()
    {
        _idle = CancellationTokenSource.CreateLinkedTokenSource(_closing);
        var graceful = false;
        try
        {
            WriteSettings();
            var wait = true;
            while (true)
            {
                var error = await ReceiveAsync(wait && !_decryptedMore);
                if (error is { } code)
                {
                    graceful = code != Http2Error.Cancel && WriteGoAway(code);
                    return;
                }
                if (session.HasPending && await session.FlushAsync() != SendOutcome.Sent)
                {
                    return;
                }
                if (_goingAway && _streams.Count == 0)
                {
                    graceful = true;
                    return;
                }
                var sent = await SendTurnAsync();
                if (sent == false)
                {
                    return;
                }
                wait = sent is null;
            }
        }
        finally
        {
            foreach (var stream in _streams)
            {
                if (stream.Fallback is null && stream.HeadSent && stream.Left > 0)
                {
                    // Its head promised more than went out: counted as the HTTP/1.1 direct paths count theirs.
                    shared.Faults.CutShort(session.Stalled ? SendOutcome.Stalled : SendOutcome.ClientGone, stream.Content, "direct HTTP/2");
                }
                stream.Release();
            }
            _streams.Clear();
            _head.Release();
            ReturnPlain();
            ReturnBlock();
            if (graceful && (!session.HasPending || await session.FlushAsync() == SendOutcome.Sent))
            {
                session.Close();
            }
        }
    }

    /// <summary>
    /// Reads what the client sent (waiting for it when <paramref name="wait"/>) and handles every whole frame: null to go
    /// on, else the error to end the connection with (<see cref="Http2Error.Cancel"/>: it ended, nothing to tell).
    /// </summary>
    private async ValueTask<Http2Error?> ReceiveAsync(bool wait)
    {
        ReadResult result;
        var reading = true;
        if (wait)
        {
            _idle!.CancelAfter(WaitLimit());
            try
            {
                result = await _input.ReadAsync(_idle!.Token);
            }
            catch (OperationCanceledException) when (!_goingAway && _closing.IsCancellationRequested)
            {
                // The server is stopping: no new streams, the open ones finish.
                _goingAway = true;
                _idle.Dispose();
                _idle = new CancellationTokenSource();
                return WriteGoAway(Http2Error.NoError) ? null : Http2Error.Cancel;
            }
            catch (OperationCanceledException) when (BlockOverdue)
            {
                return Http2Error.ProtocolError; // a header block not whole within the request headers timeout
            }
            catch (OperationCanceledException)
            {
                return _streams.Count == 0 ? Http2Error.NoError : Http2Error.Cancel; // idle for the keep-alive timeout
            }
            catch (IOException)
            {
                return Http2Error.Cancel;
            }
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        else if (!_input.TryRead(out result))
        {
            if (!_decryptedMore)
            {
                return null; // nothing new from the client, and OpenSSL holds nothing it has not given
            }
            result = new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: false);
            reading = false;
        }
        session.Feed(result.Buffer, result.IsCompleted);
        _plain ??= ArrayPool<byte>.Shared.Rent(ReadBytes);
        var status = session.ReadInto(_plain, ref _start, ref _end);
        if (reading)
        {
            session.AdvancePast(_input, result, status);
        }
        _decryptedMore = status == TlsStatus.Done;
        var error = HandleFrames() ?? (BlockOverdue ? Http2Error.ProtocolError : null);
        if (_start == _end)
        {
            ReturnPlain();
        }
        if (error is not null)
        {
            return error;
        }
        return status == TlsStatus.Closed || (result.IsCompleted && status == TlsStatus.NeedsInput) ? Http2Error.Cancel : null;
    }

    /// <summary>
    /// How long to wait for the client: the keep-alive timeout, or less while a header block split over CONTINUATION
    /// frames is not whole, which must be within Kestrel's request headers timeout of its HEADERS however the client
    /// trickles it (else one HEADERS and an empty CONTINUATION now and then would hold the block's buffer for ever).
    /// </summary>
    private TimeSpan WaitLimit()
    {
        var keepAlive = shared.Settings.KeepAlive;
        if (_block is null)
        {
            return keepAlive;
        }
        var left = TimeSpan.FromMilliseconds(Math.Max(0, _blockDeadline - Environment.TickCount64));
        return keepAlive == Timeout.InfiniteTimeSpan || left < keepAlive ? left : keepAlive;
    }

    private bool BlockOverdue => _block is not null && Environment.TickCount64 >= _blockDeadline;

    private Http2Error? HandleFrames()
    {
        var plain = _plain!;
        while (true)
        {
            var available = plain.AsSpan(_start, _end - _start);
            if (!_prefaceSeen)
            {
                if (available.Length < Preface.Length)
                {
                    return available.SequenceEqual(Preface[..available.Length]) ? null : Http2Error.ProtocolError;
                }
                if (!available[..Preface.Length].SequenceEqual(Preface))
                {
                    return Http2Error.ProtocolError;
                }
                _start += Preface.Length;
                _prefaceSeen = true;
                continue;
            }
            if (available.Length < Http2Frame.HeaderBytes)
            {
                return null;
            }
            var length = (available[0] << 16) | (available[1] << 8) | available[2];
            if (length > Http2Frame.MaxFrameSize)
            {
                return Http2Error.FrameSizeError;
            }
            if (available.Length < Http2Frame.HeaderBytes + length)
            {
                return null;
            }
            var stream = BinaryPrimitives.ReadInt32BigEndian(available[5..]) & int.MaxValue;
            _start += Http2Frame.HeaderBytes + length;
            if (HandleFrame(available[3], available[4], stream, available.Slice(Http2Frame.HeaderBytes, length)) is { } error)
            {
                return error;
            }
        }
    }

    public void Dispose() => _idle?.Dispose();

    private void ReturnPlain()
    {
        if (_plain is not null)
        {
            ArrayPool<byte>.Shared.Return(_plain);
            (_plain, _start, _end) = (null, 0, 0);
        }
    }
}
