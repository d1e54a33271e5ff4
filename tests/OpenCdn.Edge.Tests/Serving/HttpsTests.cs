using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>With a certificate configured (standard <c>Kestrel:Endpoints</c>), content is served over HTTPS and HTTP/2.</summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task HttpsEndpoint_ServesRangesOverHttp2()
    {
        using var folder = new TempFolder();
        var bytes = TestContent.Bytes(5000);
        var (edge, key) = await StartHttpsEdgeAsync(folder, bytes);
        await using var _ = edge;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(
            HttpMethod.Get, new Uri(edge.BaseUrl, $"c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);

        using var response = await client.SendAsync(request);

        Assert.Equal("https", edge.BaseUrl.Scheme);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HttpsEndpoint_ServesLargeRangesOverHttp11_ThroughTls()
    {
        using var folder = new TempFolder();
        var bytes = TestContent.Bytes(3_000_000);
        var (edge, key) = await StartHttpsEdgeAsync(folder, bytes);
        await using var _ = edge;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var client = new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var url = new Uri(edge.BaseUrl, $"c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4");

        for (var i = 0; i < 3; i++) // one kept-alive TLS connection: plain file bytes must never bypass the encryption
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(i * 1000, (i * 1000) + 1_572_863);
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpVersion.Version11, response.Version);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(bytes[(i * 1000)..((i * 1000) + 1_572_864)], await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task PlaintextRequest_ToTheHttpsPort_GetsNoContent()
    {
        using var folder = new TempFolder();
        var (edge, key) = await StartHttpsEdgeAsync(folder, TestContent.Bytes(5000));
        await using var _ = edge;
        using var http = await RawHttp.ConnectAsync(new UriBuilder(edge.BaseUrl) { Scheme = Uri.UriSchemeHttp }.Uri); // no TLS: bare TCP
        await http.SendAsync(RawHttp.Request("GET", $"/c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4"));

        var (received, closed) = await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(20)); // the TLS handshake fails

        Assert.True(closed, "the connection stayed open as if plaintext HTTP were served");
        Assert.DoesNotContain("HTTP/1.1 2", System.Text.Encoding.Latin1.GetString(received), StringComparison.Ordinal);
    }

    /// <summary>
    /// An edge with only an HTTPS endpoint (a self-signed RSA certificate), one key, and <paramref name="bytes"/> as
    /// t1/v1/video.mp4.
    /// </summary>
    private static async Task<(EdgeHost Edge, SigningKey Key)> StartHttpsEdgeAsync(TempFolder folder, byte[] bytes)
    {
        var certificate = folder.Combine("edge.pfx");
        await File.WriteAllBytesAsync(certificate, TestCertificate.RsaPfx());
        var edge = await EdgeHost.StartAsync(folder.Combine("data"), new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = TestCertificate.Password,
        }, backgroundServices: false);
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await edge.SetKeysAsync(key);
        await edge.SeedAsync("t1", 1, "video.mp4", bytes);
        return (edge, key);
    }
}
