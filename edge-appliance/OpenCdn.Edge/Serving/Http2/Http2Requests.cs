using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Direct;
using OpenCdn.Edge.Serving.Tls;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// The direct path for connections that chose HTTP/2 by ALPN: the edge speaks HTTP/2 itself over the TLS session
/// (<see cref="Http2Connection"/>), answers the common content request from the file as the HTTP/1.1 direct TLS path
/// does, and passes every other request to Kestrel's full path, one in-memory HTTP/1.0 exchange each
/// (<see cref="Http2Fallback"/>). What is shared by every connection lives here.
/// </summary>
internal sealed class Http2Requests(ContentCatalog catalog, VerifiedTokens tokens, EdgeMetrics metrics, ServingFaults faults,
    DirectSettings settings, IOptions<KestrelServerOptions> kestrel, ILogger<Http2Requests> logger)
{
    public ContentCatalog Catalog { get; } = catalog;

    public VerifiedTokens Tokens { get; } = tokens;

    public EdgeMetrics Metrics { get; } = metrics;

    public ServingFaults Faults { get; } = faults;

    public ILogger Logger { get; } = logger;

    public DirectSettings Settings { get; } = settings;

    /// <summary>Streams a connection may have open at once: Kestrel's HTTP/2 limit.</summary>
    public int MaxStreams { get; } = kestrel.Value.Limits.Http2.MaxStreamsPerConnection;

    /// <summary>How long a header block split over CONTINUATION frames may take to arrive whole: Kestrel's request headers timeout.</summary>
    public TimeSpan HeadersTimeout { get; } = kestrel.Value.Limits.RequestHeadersTimeout;

    public async Task ServeAsync(ConnectionContext connection, TlsSession session, ConnectionDelegate next)
    {
        using var http2 = new Http2Connection(this, connection, session, next);
        await http2.RunAsync();
    }
}
