using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Tells Kestrel that the connection is already TLS (its HTTPS middleware then stands aside, and requests have the
/// <c>https</c> scheme) and which protocol ALPN chose, so that Kestrel speaks HTTP/2 when the client chose <c>h2</c>.
/// Client certificates are not asked for on these endpoints.
/// </summary>
internal sealed class TlsConnectionFeature(byte[] protocol) : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    public X509Certificate2? ClientCertificate { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol { get; } = protocol;

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
