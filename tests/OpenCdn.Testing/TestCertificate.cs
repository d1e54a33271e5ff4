using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenCdn.Testing;

/// <summary>
/// Self-signed certificates for 127.0.0.1, valid from yesterday to tomorrow, for the edges' HTTPS endpoints in tests: PKCS #12
/// bytes with their key, protected by <see cref="Password"/>.
/// </summary>
public static class TestCertificate
{
    public const string Password = "test";

    /// <summary>A P-256 certificate (what the benchmarks and most deployments use).</summary>
    public static byte[] Pfx()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Export(new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256));
    }

    /// <summary>An RSA 2048 certificate.</summary>
    public static byte[] RsaPfx()
    {
        using var key = RSA.Create(2048);
        return Export(new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static byte[] Export(CertificateRequest request)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, Password);
    }
}
