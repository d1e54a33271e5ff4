using System.Net;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Serving.Tls;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>The direct TLS path's edges: a reader that stalls, HTTP/2 by ALPN, turning it off, and the kernel TLS probe.</summary>
public sealed class DirectTlsEdgeTests
{
    [Fact]
    public async Task ClientThatStopsReading_OverTls_IsDisconnected_AfterTheSendTimeout()
    {
        const int size = 24 * 1024 * 1024; // far more than loopback socket buffers hold: the edge must wait for the reader
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder, new Dictionary<string, string?> { ["SendTimeout"] = "00:00:01" });
        var path = await SeedAsync(edge, size);
        using var http = await RawHttp.ConnectAsync(edge.Tls(), receiveBufferSize: 64 * 1024);
        await http.SendAsync(RawHttp.Request("GET", path));

        await Task.Delay(TimeSpan.FromSeconds(4)); // reads nothing for longer than the send timeout
        var (received, closed) = await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(30));

        Assert.True(closed, "the connection stayed open: the edge waited on the client");
        Assert.InRange(received.Length, 1, size - 1);
        await Eventually.ValueAsync(
            () => edge.MetricAsync("opencdn_edge_responses_cut_short_total{outcome=\"Stalled\"}"), count => count == 1, "one Stalled response");
        Assert.Equal(0, await edge.MetricAsync("opencdn_edge_responses_cut_short_total{outcome=\"ClientGone\"}"));
    }

    [Fact]
    public async Task Http2ByAlpn_ServesAPlayersConcurrentRanges_OnOneConnection()
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder);
        var bytes = TestContent.Bytes(3_000_000);
        var path = await SeedAsync(edge, bytes);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1" },
            MaxConnectionsPerServer = 1,
        };
        using var client = new HttpClient(handler);

        var ranges = Enumerable.Range(0, 6).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.Tls(), path.TrimStart('/')))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(i * 400_000, (i * 400_000) + 499_999);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(bytes[(i * 400_000)..((i * 400_000) + 500_000)], await response.Content.ReadAsByteArrayAsync());
        });
        await Task.WhenAll(ranges);

        Assert.Equal(6, await edge.MetricAsync("opencdn_edge_direct_tls_responses_total")); // the edge's own HTTP/2
        Assert.Equal(6, await edge.MetricAsync("opencdn_edge_requests_total{route=\"content\",status=\"206\"}"));
    }

    [Fact]
    public async Task StoppingTheEdge_WithOpenTlsConnections_DirectAndHandedOff_DoesNotWaitForThem()
    {
        using var folder = new TempFolder();
        var edge = await TlsEdge.StartAsync(folder);
        var path = await SeedAsync(edge, 1000);
        using var direct = await RawHttp.ConnectAsync(edge.Tls());
        await direct.SendAsync(RawHttp.Request("GET", path, "Range: bytes=0-9"));
        Assert.Equal(206, (await direct.ReadAsync()).Status);
        using var handedOff = await RawHttp.ConnectAsync(edge.Tls());
        await handedOff.SendAsync(RawHttp.Request("GET", "/healthz"));
        Assert.Equal(200, (await handedOff.ReadAsync()).Status);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1" },
        };
        using var http2 = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.Tls(), "healthz")) { Version = HttpVersion.Version20 };
        Assert.Equal(HttpVersion.Version20, (await http2.SendAsync(request)).Version);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await edge.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed} (shutdown timeout: 30 s)");
        Assert.True((await direct.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))).Closed);
        Assert.True((await handedOff.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))).Closed);
    }

    [Fact]
    public async Task DirectTlsOff_LeavesHttpsToKestrel_AndSaysSo()
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder, new Dictionary<string, string?> { ["DirectTls"] = "false" });
        var bytes = TestContent.Bytes(100_000);
        var path = await SeedAsync(edge, bytes);
        using var http = await RawHttp.ConnectAsync(edge.Tls());
        await http.SendAsync(RawHttp.Request("GET", path, "Range: bytes=0-99999"));

        Assert.Equal(bytes, (await http.ReadAsync()).Body);
        Assert.Equal(1, await edge.MetricAsync("opencdn_edge_tls_path{path=\"kestrel\"}"));
        Assert.Equal(0, await edge.MetricAsync("opencdn_edge_tls_path{path=\"openssl\"}"));
        Assert.Equal(0, await edge.MetricAsync("opencdn_edge_direct_tls_responses_total"));
    }

    [Fact]
    public void KernelTlsProbe_AgreesWithTheKernelsUpperLayerProtocols()
    {
        var support = KernelTls.Probe();

        // A kernel that took "tls" on a connection lists it (the module is loaded); one that refused it has no such module.
        var listed = File.ReadAllText("/proc/sys/net/ipv4/tcp_available_ulp").Split(' ', '\n').Contains("tls");
        Assert.Equal(listed, support.Available);
        Assert.False(string.IsNullOrWhiteSpace(support.Reason));
    }

    private static Task<string> SeedAsync(EdgeHost edge, int size) => SeedAsync(edge, new byte[size]);

    private static async Task<string> SeedAsync(EdgeHost edge, byte[] bytes)
    {
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await edge.SetKeysAsync(key);
        await edge.SeedAsync("t1", 1, "video.mp4", bytes);
        return $"/c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4";
    }
}
