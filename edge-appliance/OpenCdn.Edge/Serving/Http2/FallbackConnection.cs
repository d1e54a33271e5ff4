using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// An in-memory HTTP/1.x connection into Kestrel for one request of an HTTP/2 connection that the direct path does not
/// answer itself (<see cref="Http2Fallback"/>). It has the HTTP/2 connection's features (endpoints, TLS, Kestrel's own),
/// except the ones that must be its own: ALPN says <c>http/1.1</c>, aborting it ends only it, and it takes no part in the
/// connection's heartbeat (whose callbacks would pile up, one per request, until the connection ends).
/// </summary>
internal sealed class FallbackConnection : ConnectionContext, IConnectionLifetimeFeature, IConnectionHeartbeatFeature
{
    private static readonly Tls.TlsConnectionFeature s_http11 = new("http/1.1"u8.ToArray());
    private readonly CancellationTokenSource _closed = new();

    public FallbackConnection(ConnectionContext parent, IDuplexPipe transport)
    {
        ConnectionId = parent.ConnectionId;
        LocalEndPoint = parent.LocalEndPoint;
        RemoteEndPoint = parent.RemoteEndPoint;
        Transport = transport;
        Features = new FeatureCollection(parent.Features);
        Features.Set<ITlsConnectionFeature>(s_http11);
        Features.Set<ITlsApplicationProtocolFeature>(s_http11);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionHeartbeatFeature>(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException();
    }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already over
        }
    }

    public void OnHeartbeat(Action<object> action, object state)
    {
    }

    public override async ValueTask DisposeAsync()
    {
        _closed.Dispose();
        await base.DisposeAsync();
    }
}
