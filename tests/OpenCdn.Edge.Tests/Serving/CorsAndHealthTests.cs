using System.Globalization;
using System.Net;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>Browsers on configured origins may fetch ranges (preflight included); health and metrics answer.</summary>
public sealed class CorsAndHealthTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    [Fact]
    public async Task Preflight_ForRange_FromConfiguredOrigin_IsAllowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, fixture.VideoPath);
        preflight.Headers.Add("Origin", "https://player.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "range");

        using var response = await fixture.Edge.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://player.example", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("range", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RangeGet_FromConfiguredOrigin_ExposesContentRange()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.VideoPath);
        request.Headers.Add("Origin", "https://player.example");
        request.Headers.Add("Range", "bytes=0-9");

        using var response = await fixture.Edge.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("https://player.example", Header(response, "Access-Control-Allow-Origin"));
        var exposed = Header(response, "Access-Control-Expose-Headers");
        Assert.Contains("Content-Range", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Length", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_FromOtherOrigin_GetsNoCorsGrant()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.VideoPath);
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await fixture.Edge.Client.SendAsync(request);

        Assert.Equal(string.Empty, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Healthz_And_Metrics_Answer()
    {
        using var served = await fixture.Edge.Client.GetAsync(fixture.VideoPath);
        using var health = await fixture.Edge.Client.GetAsync("healthz");
        var metrics = await fixture.Edge.Client.GetStringAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("opencdn_edge_requests_total{route=\"content\",status=\"200\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("opencdn_edge_served_bytes_total{route=\"content\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("opencdn_edge_active_connections", metrics, StringComparison.Ordinal);
        // Where the memory is: the managed heap and glibc's C heap (OpenSSL's), each more than nothing.
        foreach (var kind in new[] { "managed_heap", "managed_committed", "native_in_use", "native_free" })
        {
            var line = metrics.Split('\n').Single(l => l.StartsWith($"opencdn_edge_memory_bytes{{kind=\"{kind}\"}} ", StringComparison.Ordinal));
            Assert.True(double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) > 0, line);
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;
}
