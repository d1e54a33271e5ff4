using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Serving.Tls;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Kernel TLS (kTLS) on the direct TLS path. Where the kernel has its <c>tls</c> module, OpenSSL hands it a session's
/// sending keys and file bodies go with <c>sendfile(2)</c>; where it has none (this machine's kernel), OpenSSL still offers
/// the keys, the kernel refuses, and the session stays in user space. Either way a client gets the same bytes and headers
/// as from Kestrel's full path, nothing leaves in plaintext, and <c>/metrics</c> says which path served.
/// </summary>
public sealed class KernelTlsTests
{
    private static readonly byte[] Video = TestContent.Bytes(1_000_000, seed: 11);

    [Fact]
    public async Task KernelTlsAlways_ServesWhatTheFullPathServes_AndMetricsSayWhichPathServed()
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder, new Dictionary<string, string?> { ["KernelTls"] = "Always" });
        var path = await SeedAsync(edge);

        var direct = await OneAsync(edge, RawHttp.Request("GET", path, "Range: bytes=1000-900999"));
        var full = await OneAsync(edge, RawHttp.Request("GET", path, "Range: bytes=1000-900999", "If-None-Match: \"another\""));

        Assert.Equal(206, direct.Status);
        Assert.Equal(Video[1000..901000], direct.Body);
        Assert.Equal(full.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key), direct.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key));
        Assert.Equal(full.Body, direct.Body);
        Assert.Equal(1, await edge.MetricAsync("opencdn_edge_direct_tls_responses_total")); // the first; Kestrel answered the second
        Assert.Equal(1, await edge.MetricAsync("opencdn_edge_tls_path{path=\"ktls\"}"));
        Assert.Equal(0, await edge.MetricAsync("opencdn_edge_tls_path{path=\"openssl\"}"));
        var kernel = KernelTls.Probe().Available;
        Assert.Equal(kernel ? 2 : 0, await edge.MetricAsync("opencdn_edge_tls_sessions_total{path=\"ktls\"}"));
        Assert.Equal(kernel ? 0 : 2, await edge.MetricAsync("opencdn_edge_tls_sessions_total{path=\"openssl\"}"));
        // Without the module, each session's keys were offered to the kernel and refused: the fallback ran, twice.
        Assert.Equal(kernel ? 0 : 2, await edge.MetricAsync("opencdn_edge_kernel_tls_refused_total"));
    }

    [Theory]
    [InlineData("Auto")]
    [InlineData("Off")]
    [InlineData("Always")]
    public async Task EveryTlsPath_PutsNoPlaintextOnTheWire(string kernelTls)
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder, new Dictionary<string, string?> { ["KernelTls"] = kernelTls });
        var path = await SeedAsync(edge);
        using var http = await RawHttp.ConnectAsync(edge.Tls(), recordWire: true);

        await http.SendAsync(RawHttp.Request("GET", path, "Range: bytes=0-599999")); // the direct TLS path
        Assert.Equal(Video[..600_000], (await http.ReadAsync()).Body);
        await http.SendAsync(RawHttp.Request("GET", path, "If-None-Match: \"another\"")); // handed to Kestrel over the session
        Assert.Equal(Video, (await http.ReadAsync()).Body);

        var wire = http.Wire!.Received;
        Assert.True(wire.Length > Video.Length + 600_000, $"{wire.Length} bytes on the wire");
        Assert.Equal(-1, wire.AsSpan().IndexOf("HTTP/1.1"u8));
        for (var at = 0; at < Video.Length - 64; at += 50_000)
        {
            Assert.Equal(-1, wire.AsSpan().IndexOf(Video.AsSpan(at, 64))); // no 64 bytes of the body as they are in the file
        }
        Assert.Equal(1, await edge.MetricAsync("opencdn_edge_direct_tls_responses_total"));
    }

    private static async Task<string> SeedAsync(EdgeHost edge)
    {
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await edge.SetKeysAsync(key);
        await edge.SeedAsync("t1", 1, "video.mp4", Video);
        return $"/c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4";
    }

    private static async Task<RawResponse> OneAsync(EdgeHost edge, string request)
    {
        using var http = await RawHttp.ConnectAsync(edge.Tls());
        await http.SendAsync(request);
        return await http.ReadAsync();
    }
}
