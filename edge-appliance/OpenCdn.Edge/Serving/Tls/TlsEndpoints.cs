using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Which HTTPS options (certificate, chain, client-certificate mode) Kestrel built for which endpoint. Kestrel applies
/// the endpoint defaults to an endpoint's listen options and then, for an HTTPS endpoint, the HTTPS defaults to its
/// HTTPS options, both for endpoints from configuration (<c>Kestrel:Endpoints</c>) and for <c>ListenOptions.UseHttps</c>
/// in code: so the HTTPS options seen are those of the endpoint seen just before. Read when the endpoint starts, by
/// which time Kestrel has loaded the certificate into them.
/// </summary>
internal sealed class TlsEndpoints
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ListenOptions, HttpsConnectionAdapterOptions> _https = [];
    private ListenOptions? _last;

    public void EndpointSeen(ListenOptions listen)
    {
        lock (_gate)
        {
            _last = listen;
        }
    }

    public void HttpsSeen(HttpsConnectionAdapterOptions https)
    {
        lock (_gate)
        {
            if (_last is not null)
            {
                _https[_last] = https;
            }
        }
    }

    /// <summary>The endpoint's certificate and chain when the direct TLS path can serve it; else null and why Kestrel keeps it.</summary>
    public HttpsConnectionAdapterOptions? Find(ListenOptions listen, out string? reason)
    {
        HttpsConnectionAdapterOptions? https;
        lock (_gate)
        {
            _https.TryGetValue(listen, out https);
        }
        reason = https switch
        {
            null => "its HTTPS options were not seen",
            { ServerCertificateSelector: not null } => "it selects certificates per connection (SNI)",
            { ServerCertificate: null } => "it has no certificate",
            { ClientCertificateMode: not ClientCertificateMode.NoCertificate } => "it asks clients for certificates",
            { OnAuthenticate: not null } => "it customises the TLS handshake (OnAuthenticate)",
            { SslProtocols: not (SslProtocols.None or (SslProtocols.Tls12 | SslProtocols.Tls13)) } => "it restricts the TLS versions",
            _ => null,
        };
        return reason is null ? https : null;
    }
}
