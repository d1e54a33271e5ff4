using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// The direct path over TLS: a Kestrel connection middleware on HTTPS endpoints that does the TLS itself with OpenSSL
/// (<see cref="TlsSession"/>) instead of <c>SslStream</c>, and answers the same one request shape as
/// <see cref="DirectConnections"/> — a strict HTTP/1.1 <see cref="DirectRequest"/> for a catalogued file with a valid
/// token — below Kestrel's HTTP layer: the head and the first body bytes in one 16 KiB record, the body read with
/// <c>pread</c> into one pooled 64 KiB buffer and encrypted from there, the records sent with <c>send(2)</c> from
/// OpenSSL's buffer. At the first request of any other shape, and for every connection that chose HTTP/2 through ALPN,
/// it hands the session to Kestrel (<see cref="TlsHandoff"/>), which serves it from then on with its full semantics. A
/// client that does not complete a TLS handshake gets nothing, plaintext or otherwise.
/// </summary>
internal sealed partial class TlsConnections(ContentCatalog catalog, VerifiedTokens tokens, EdgeMetrics metrics, ServingFaults faults,
    ICorsService cors, IOptions<CorsOptions> corsOptions, IOptions<EdgeOptions> options, IOptions<KestrelServerOptions> kestrel,
    IOptions<HostFilteringOptions> hosts, TlsEndpoints endpoints, NativeHeapTrimmer trimmer, ILogger<TlsConnections> logger)
{
    /// <summary>Plaintext per response write: four full TLS records; the buffer is the pool's 64 KiB size, held only while sending.</summary>
    private const int WriteBytes = 64 * 1024;

    /// <summary>Decrypted request bytes waiting to be parsed: room for two full records (a head is at most 8 KiB).</summary>
    private const int ReadBytes = 32 * 1024;

    private static readonly byte[] Http2 = "h2"u8.ToArray();

    private readonly CorsLines _cors = new(cors, corsOptions.Value.GetPolicy(ContentEndpoints.CorsPolicy));
    private readonly string _cacheControl = ContentEndpoints.CacheControl(options.Value.CacheMaxAgeSeconds);
    private readonly TimeSpan _keepAlive = kestrel.Value.Limits.KeepAliveTimeout > TimeSpan.FromDays(1)
        ? Timeout.InfiniteTimeSpan
        : kestrel.Value.Limits.KeepAliveTimeout;

    private readonly bool _anyHost = hosts.Value.AllowedHosts.Count == 0 || hosts.Value.AllowedHosts.Contains("*");
    private readonly TimeSpan _sendTimeout = options.Value.SendTimeout;
    private readonly Lazy<KernelTlsSupport> _kernelTls = new(() =>
    {
        var support = KernelTls.Probe();
        metrics.KernelTlsAvailable(support.Available);
        Log.KernelTls(logger, support.Available, support.Reason);
        return support;
    });

    /// <summary>
    /// The middleware for <paramref name="listen"/>, built when Kestrel starts the endpoint: the direct TLS path when the
    /// endpoint serves HTTPS with one certificate and the host can run it, else <paramref name="next"/> (Kestrel's
    /// <c>SslStream</c>), with the reason logged.
    /// </summary>
    public ConnectionDelegate Use(ListenOptions listen, ConnectionDelegate next)
    {
        var kernel = _kernelTls.Value;
        var https = endpoints.Find(listen, out var reason);
        TlsContext? context = null;
        if (!options.Value.DirectTls)
        {
            reason = "OpenCdn:Edge:DirectTls is false";
        }
        else if (!OperatingSystem.IsLinux())
        {
            reason = "it runs on Linux only";
        }
        else if (https is not null)
        {
            try
            {
                context = TlsContext.Create(https.ServerCertificate!, https.ServerCertificateChain,
                    listen.Protocols.HasFlag(HttpProtocols.Http2), kernelTls: false, out reason);
            }
            catch (DllNotFoundException e)
            {
                reason = "OpenSSL 3 (libssl.so.3) cannot be loaded: " + e.Message;
            }
        }
        if (context is null)
        {
            Log.KestrelServesTls(logger, listen.ToString() ?? "?", reason ?? "unknown");
            metrics.TlsPath("kestrel");
            return next;
        }
        Log.DirectTls(logger, listen.ToString() ?? "?");
        metrics.TlsPath("openssl");
        var handshakeTimeout = https!.HandshakeTimeout;
        return connection => ServeConnectionAsync(connection, context, handshakeTimeout, next);
    }

    private async Task ServeConnectionAsync(ConnectionContext connection, TlsContext context, TimeSpan handshakeTimeout, ConnectionDelegate next)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            await next(connection); // not a socket transport: Kestrel's SslStream does the TLS
            return;
        }
        var session = TlsSession.Start(context, socket, _sendTimeout, connection.Abort);
        try
        {
            await ServeSessionAsync(connection, session, handshakeTimeout, next);
        }
        finally
        {
            session?.Dispose();
            trimmer.SessionEnded(); // its OpenSSL memory is free now
        }
    }

    private async Task ServeSessionAsync(ConnectionContext connection, TlsSession? session, TimeSpan handshakeTimeout, ConnectionDelegate next)
    {
        if (session is null || !await HandshakeAsync(connection, session, handshakeTimeout))
        {
            return; // the connection ends: nothing was served
        }
        var protocol = session.ApplicationProtocol();
        var feature = new TlsConnectionFeature(protocol);
        connection.Features.Set<ITlsConnectionFeature>(feature);
        connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
        if (protocol.AsSpan().SequenceEqual(Http2) || !_anyHost)
        {
            await TlsHandoff.RunAsync(connection, session, ReadOnlyMemory<byte>.Empty, next);
            return;
        }
        var unanswered = await ServeAsync(connection, session);
        if (unanswered is not null)
        {
            try
            {
                await TlsHandoff.RunAsync(connection, session, unanswered.Value.Bytes, next);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(unanswered.Value.Buffer);
            }
        }
    }

    private static async Task<bool> HandshakeAsync(ConnectionContext connection, TlsSession session, TimeSpan timeout)
    {
        var input = connection.Transport.Input;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token);
                session.Feed(result.Buffer, result.IsCompleted);
                var status = session.Handshake();
                // Bytes after the client's Finished (its first request) stay unexamined, for the first read that serves.
                input.AdvanceTo(session.Consumed, status == TlsStatus.NeedsInput ? result.Buffer.End : session.Consumed);
                if (session.HasPending && await session.FlushAsync() != SendOutcome.Sent)
                {
                    return false;
                }
                if (status != TlsStatus.NeedsInput)
                {
                    return status == TlsStatus.Done;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false; // too slow, reset, or the server is stopping
        }
    }

    /// <summary>
    /// Serves requests until the connection ends (null) or a request is left to Kestrel: then the plaintext received and
    /// not answered, in a pooled buffer the caller returns.
    /// </summary>
    private async Task<Unanswered?> ServeAsync(ConnectionContext connection, TlsSession session)
    {
        var input = connection.Transport.Input;
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(closing);
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
                    idle.CancelAfter(_keepAlive);
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
                var status = Decrypt(session, plain, ref start, ref end);
                if (reading)
                {
                    input.AdvanceTo(session.Consumed, status == TlsStatus.NeedsInput ? result.Buffer.End : session.Consumed);
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
                        var unanswered = new Unanswered(plain, plain.AsMemory(start, end - start));
                        plain = null;
                        return unanswered;
                    }
                    start += headLength;
                    SendOutcome outcome;
                    try
                    {
                        outcome = await SendAsync(session, request, response);
                    }
                    finally
                    {
                        response.Release();
                    }
                    if (outcome != SendOutcome.Sent)
                    {
                        connection.Abort(); // shorter than its head promised: the client must not take it for a whole response
                        faults.CutShort(outcome, response, "direct TLS");
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

    /// <summary>
    /// Decrypts into <paramref name="plain"/> after <paramref name="end"/> until OpenSSL needs input, the session closed, or
    /// the buffer is full (Done).
    /// </summary>
    private static TlsStatus Decrypt(TlsSession session, byte[] plain, ref int start, ref int end)
    {
        while (true)
        {
            if (end == plain.Length)
            {
                if (start == 0)
                {
                    return TlsStatus.Done;
                }
                plain.AsSpan(start, end - start).CopyTo(plain);
                (start, end) = (0, end - start);
            }
            var read = session.Read(plain.AsSpan(end), out var status);
            if (status != TlsStatus.Done)
            {
                return status;
            }
            end += read;
        }
    }

    private async ValueTask<SendOutcome> SendAsync(TlsSession session, DirectRequest request, ContentResponse response)
    {
        var corsLines = _cors.For(request.Origin);
        var body = request.IsHead ? 0 : response.Count;
        var buffer = ArrayPool<byte>.Shared.Rent(WriteBytes);
        try
        {
            var written = DirectResponse.Write(
                buffer, response.File, _cacheControl, corsLines, response.Partial, response.From, response.Count, request.Close);
            var offset = response.From;
            var left = body;
            do
            {
                var chunk = (int)Math.Min(left, WriteBytes - written);
                var read = Read(response, buffer.AsSpan(written, chunk), offset);
                if (read != SendOutcome.Sent)
                {
                    return read;
                }
                if (!session.Write(buffer.AsSpan(0, written + chunk)))
                {
                    return session.Stalled ? SendOutcome.Stalled : SendOutcome.ClientGone;
                }
                if (session.HasPending)
                {
                    var flushed = await session.FlushAsync();
                    if (flushed != SendOutcome.Sent)
                    {
                        return flushed;
                    }
                }
                (offset, left, written) = (offset + chunk, left - chunk, 0);
            }
            while (left > 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        metrics.ContentServed(response.Partial, body);
        metrics.DirectTlsServed();
        return SendOutcome.Sent;
    }

    private static SendOutcome Read(ContentResponse response, Span<byte> into, long offset)
    {
        if (into.IsEmpty)
        {
            return SendOutcome.Sent;
        }
        try
        {
            return RandomAccess.Read(response.Handle, into, offset) == into.Length ? SendOutcome.Sent : SendOutcome.FileShort;
        }
        catch (ObjectDisposedException)
        {
            return SendOutcome.FileClosed;
        }
        catch (IOException)
        {
            return SendOutcome.FileUnreadable;
        }
    }

    private readonly record struct Unanswered(byte[] Buffer, ReadOnlyMemory<byte> Bytes);

    private static partial class Log
    {
        [LoggerMessage(510, LogLevel.Information, "HTTPS on {Endpoint}: the direct TLS path (OpenSSL) serves it")]
        public static partial void DirectTls(ILogger logger, string endpoint);

        [LoggerMessage(511, LogLevel.Warning, "HTTPS on {Endpoint}: Kestrel's SslStream serves it, not the direct TLS path: {Reason}")]
        public static partial void KestrelServesTls(ILogger logger, string endpoint, string reason);

        [LoggerMessage(512, LogLevel.Information, "Kernel TLS (kTLS) available: {Available} ({Reason})")]
        public static partial void KernelTls(ILogger logger, bool available, string reason);
    }
}
