using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// The direct TLS path's requests, on a session whose handshake is done: the same one request shape as
/// <see cref="DirectConnections"/> — a strict HTTP/1.1 <see cref="DirectRequest"/> for a catalogued file with a valid
/// token — answered below Kestrel's HTTP layer: the head and the first body bytes in one 16 KiB record, the body read with
/// <c>pread</c> into one pooled 64 KiB buffer and encrypted from there, the records sent with <c>send(2)</c> from
/// OpenSSL's buffer. The first request of any other shape is handed back, for Kestrel.
/// </summary>
internal sealed class TlsRequests(ContentCatalog catalog, VerifiedTokens tokens, EdgeMetrics metrics, ServingFaults faults, DirectSettings settings)
{
    /// <summary>Plaintext per response write: four full TLS records; the buffer is the pool's 64 KiB size, held only while sending.</summary>
    private const int WriteBytes = 64 * 1024;

    /// <summary>Decrypted request bytes waiting to be parsed: room for two full records (a head is at most 8 KiB).</summary>
    private const int ReadBytes = 32 * 1024;

    /// <summary>
    /// Serves requests until the connection ends (null) or a request is left to Kestrel: then the plaintext received and
    /// not answered, in a pooled buffer the caller returns.
    /// </summary>
    public async Task<UnansweredRequest?> ServeAsync(ConnectionContext connection, TlsSession session)
    {
        var input = connection.Transport.Input;
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(closing);
        // Under kernel TLS the socket takes plaintext: bodies go with sendfile(2), as on the plaintext direct path.
        using var files = session.KernelSends ? new SocketFileSender(session.Socket, settings.SendTimeout, connection.Abort) : null;
        byte[]? plain = null;
        int start = 0, end = 0;
        var wait = true; // false while OpenSSL may hold more plaintext than the last read took
        try
        {
            while (true)
            {
                ReadResult result;
                var reading = true; // a read to advance past
                if (wait)
                {
                    idle.CancelAfter(settings.KeepAlive);
                    try
                    {
                        result = await input.ReadAsync(idle.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException)
                    {
                        return null; // idle for the keep-alive timeout, the server is stopping, or the client reset
                    }
                    idle.CancelAfter(Timeout.InfiniteTimeSpan);
                }
                else if (!input.TryRead(out result))
                {
                    result = new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: false);
                    reading = false;
                }
                session.Feed(result.Buffer, result.IsCompleted);
                plain ??= ArrayPool<byte>.Shared.Rent(ReadBytes);
                var status = session.ReadInto(plain, ref start, ref end);
                if (reading)
                {
                    session.AdvancePast(input, result, status);
                }
                wait = status != TlsStatus.Done;
                while (start < end)
                {
                    if (!DirectRequest.TryParse(plain.AsSpan(start, end - start), out var request, out var headLength)
                        || !ContentResponse.TryResolve(request.Path, request.Range, tokens, catalog, out var response))
                    {
                        if (status == TlsStatus.Done && end < plain.Length && headLength < 4)
                        {
                            break; // a head not complete yet, and OpenSSL holds more: decrypt it first
                        }
                        var unanswered = new UnansweredRequest(plain, plain.AsMemory(start, end - start));
                        plain = null;
                        return unanswered;
                    }
                    start += headLength;
                    if (!await DirectAnswer.SentAsync(SendAsync(session, files, request, response), response, connection, faults, "direct TLS"))
                    {
                        return null;
                    }
                    if (request.Close)
                    {
                        session.Close();
                        return null;
                    }
                }
                if (start == end)
                {
                    start = end = 0;
                    ArrayPool<byte>.Shared.Return(plain); // an idle connection holds no buffer
                    plain = null;
                }
                if (status == TlsStatus.Closed)
                {
                    return null;
                }
            }
        }
        finally
        {
            if (plain is not null)
            {
                ArrayPool<byte>.Shared.Return(plain);
            }
        }
    }

    private async ValueTask<SendOutcome> SendAsync(TlsSession session, SocketFileSender? files, DirectRequest request, ContentResponse response)
    {
        var corsLines = settings.Cors.For(request.Origin);
        var body = request.IsHead ? 0 : response.Count;
        var buffer = ArrayPool<byte>.Shared.Rent(WriteBytes);
        SendOutcome outcome;
        try
        {
            var head = DirectResponse.Write(
                buffer, response.File, settings.CacheControl, corsLines, response.Partial, response.From, response.Count, request.Close);
            if (files is not null && body > WriteBytes - head)
            {
                // Kernel TLS: the head through OpenSSL (a record the kernel encrypts), the body from the page cache.
                outcome = await WriteAsync(session, buffer.AsMemory(0, head));
                outcome = outcome == SendOutcome.Sent ? await files.SendAsync(response.Handle, response.From, body) : outcome;
            }
            else
            {
                outcome = await EncryptAsync(session, buffer, head, response, body);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (outcome == SendOutcome.Sent)
        {
            metrics.ContentServed(response.Partial, body);
            metrics.DirectTlsServed();
        }
        return outcome;
    }

    /// <summary>
    /// The head already in <paramref name="buffer"/>, then the body read into it after the head and encrypted by OpenSSL,
    /// 64 KiB a write.
    /// </summary>
    private static async ValueTask<SendOutcome> EncryptAsync(TlsSession session, byte[] buffer, int head, ContentResponse response, long body)
    {
        var (offset, left, written) = (response.From, body, head);
        do
        {
            var chunk = (int)Math.Min(left, WriteBytes - written);
            var outcome = response.Read(buffer.AsSpan(written, chunk), offset);
            outcome = outcome == SendOutcome.Sent ? await WriteAsync(session, buffer.AsMemory(0, written + chunk)) : outcome;
            if (outcome != SendOutcome.Sent)
            {
                return outcome;
            }
            (offset, left, written) = (offset + chunk, left - chunk, 0);
        }
        while (left > 0);
        return SendOutcome.Sent;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> and sends it, waiting while the socket is full.</summary>
    private static async ValueTask<SendOutcome> WriteAsync(TlsSession session, ReadOnlyMemory<byte> plaintext)
    {
        if (!session.Write(plaintext.Span))
        {
            return session.Stalled ? SendOutcome.Stalled : SendOutcome.ClientGone;
        }
        return session.HasPending ? await session.FlushAsync() : SendOutcome.Sent;
    }
}
