using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Http2;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// The direct path over TLS: a Kestrel connection middleware on HTTPS endpoints that does the TLS itself with OpenSSL
/// (<see cref="TlsSession"/>) instead of <c>SslStream</c>. After the handshake, <see cref="TlsRequests"/> answers the
/// common HTTP/1.1 content request below Kestrel's HTTP layer; at the first request of any other shape the session goes
/// to Kestrel (<see cref="TlsHandoff"/>), which serves it from then on with its full semantics. A connection that chose
/// HTTP/2 through ALPN is the edge's own HTTP/2's (<see cref="Http2Requests"/>), which passes Kestrel each request it
/// does not answer itself. A client that does not complete a TLS handshake gets nothing, plaintext or otherwise.
/// </summary>
internal sealed partial class TlsConnections(TlsRequests requests, Http2Requests http2, EdgeMetrics metrics, IOptions<EdgeOptions> options,
    IOptions<HostFilteringOptions> hosts, TlsEndpoints endpoints, MemoryTrimmer trimmer, ILogger<TlsConnections> logger)
{
    private static readonly byte[] H2 = "h2"u8.ToArray();

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
                    listen.Protocols.HasFlag(HttpProtocols.Http2), UseKernelTls(kernel), out reason);
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
        Log.DirectTls(logger, listen.ToString() ?? "?", context.KernelTls);
        metrics.TlsPath(context.KernelTls ? "ktls" : "openssl");
        var handshakeTimeout = https!.HandshakeTimeout;
        return connection => ServeConnectionAsync(connection, context, handshakeTimeout, next);
    }

    private bool UseKernelTls(KernelTlsSupport kernel) => options.Value.KernelTls switch
    {
        KernelTlsMode.Always => true,
        KernelTlsMode.Auto => kernel.Available,
        _ => false,
    };

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
        metrics.TlsSession(session.KernelSends, session.KernelRefused);
        var protocol = session.ApplicationProtocol();
        var feature = new TlsConnectionFeature(protocol);
        connection.Features.Set<ITlsConnectionFeature>(feature);
        connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
        var isHttp2 = protocol.AsSpan().SequenceEqual(H2);
        if (isHttp2 && _anyHost && options.Value.DirectHttp2)
        {
            await http2.ServeAsync(connection, session, next);
            return;
        }
        if (isHttp2 || !_anyHost)
        {
            await TlsHandoff.RunAsync(connection, session, ReadOnlyMemory<byte>.Empty, next);
            return;
        }
        var unanswered = await requests.ServeAsync(connection, session);
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
                session.AdvancePast(input, result, status); // the bytes after the client's Finished wait for the first read that serves
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

    private static partial class Log
    {
        [LoggerMessage(510, LogLevel.Information, "HTTPS on {Endpoint}: the direct TLS path (OpenSSL) serves it; kernel TLS asked for: {KernelTls}")]
        public static partial void DirectTls(ILogger logger, string endpoint, bool kernelTls);

        [LoggerMessage(511, LogLevel.Warning, "HTTPS on {Endpoint}: Kestrel's SslStream serves it, not the direct TLS path: {Reason}")]
        public static partial void KestrelServesTls(ILogger logger, string endpoint, string reason);

        [LoggerMessage(512, LogLevel.Information, "Kernel TLS (kTLS) available: {Available} ({Reason})")]
        public static partial void KernelTls(ILogger logger, bool available, string reason);
    }
}
