using System.Text;
using OpenCdn.Edge.Serving.Tls;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Over TLS, content requests of the common HTTP/1.1 shape are answered by the direct TLS path (OpenSSL, below Kestrel's
/// HTTP layer) and everything else by Kestrel over the same session. A client must not be able to tell: the same status,
/// headers and bytes as Kestrel's full path, every response whole and in order, the same strictness about what is
/// answered directly (the parser corpus and the traversal corpus, sent through TLS), and a stalled reader dropped.
/// </summary>
public sealed class DirectTlsTests(TlsServingFixture fixture) : IClassFixture<TlsServingFixture>
{
    private const string DirectTls = "opencdn_edge_direct_tls_responses_total";

    [Theory]
    [MemberData(nameof(DirectConnectionsTests.Requests), MemberType = typeof(DirectConnectionsTests))]
    public async Task DirectTlsPath_AnswersExactlyAsTheFullPath(string method, string[] headers)
    {
        var path = fixture.LargeVideoPath();
        var before = await fixture.Edge.MetricAsync(DirectTls);
        var direct = await OneAsync(RawHttp.Request(method, path, headers), method == "HEAD");
        // A precondition that holds leaves the answer as it is, but only Kestrel's full path takes preconditions.
        var full = await OneAsync(RawHttp.Request(method, path, [.. headers, "If-None-Match: \"another\""]), method == "HEAD");

        await AssertDirectTlsAsync(before + 1); // one of the two, and only one, took the direct TLS path
        Assert.Equal(full.Status, direct.Status);
        Assert.Equal(full.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key), direct.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key));
        Assert.Equal(full.Body, direct.Body);
    }

    [Fact]
    public async Task PipelinedMixOfResponses_OnOneTlsConnection_ArriveWholeAndInOrder()
    {
        var before = await fixture.Edge.MetricAsync(DirectTls);
        var path = fixture.LargeVideoPath();
        var etag = "\"" + TestContent.Sha256(fixture.LargeVideo)[..32] + "\"";
        var video = fixture.LargeVideo;
        using var http = await RawHttp.ConnectAsync(fixture.Edge.Tls());
        await http.SendAsync(string.Concat( // the direct TLS path serves two, then hands the session to Kestrel at the third
            RawHttp.Request("GET", path, "Range: bytes=10-200009"),
            RawHttp.Request("GET", path, "Range: bytes=10-509"),
            RawHttp.Request("GET", path, $"If-None-Match: {etag}"),
            RawHttp.Request("GET", path),
            RawHttp.Request("HEAD", path, "Range: bytes=0-99"),
            RawHttp.Request("GET", path, "Range: bytes=400000-400100"),
            RawHttp.Request("GET", path, "Range: bytes=-7")));

        AssertResponse(206, video[10..200010], await http.ReadAsync());
        AssertResponse(206, video[10..510], await http.ReadAsync());
        AssertResponse(304, [], await http.ReadAsync());
        AssertResponse(200, video, await http.ReadAsync());
        AssertResponse(206, [], await http.ReadAsync(head: true));
        Assert.Equal(416, (await http.ReadAsync()).Status);
        AssertResponse(206, video[^7..], await http.ReadAsync());
        await AssertDirectTlsAsync(before + 2);
    }

    [Fact]
    public async Task ManyRequests_OnOneTlsConnection_AreAllAnsweredDirectly()
    {
        var before = await fixture.Edge.MetricAsync(DirectTls);
        using var http = await RawHttp.ConnectAsync(fixture.Edge.Tls());
        for (var i = 0; i < 20; i++)
        {
            var from = i * 15_000;
            await http.SendAsync(RawHttp.Request("GET", fixture.LargeVideoPath(), $"Range: bytes={from}-{from + 99_999}"));
            AssertResponse(206, fixture.LargeVideo[from..(from + 100_000)], await http.ReadAsync());
        }
        await AssertDirectTlsAsync(before + 20);
    }

    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in DirectRequestTests.LeftToKestrel)
        {
            var (why, head) = ((string)row[0], (string)row[1]);
            // Protocol detection (HTTP/2 preface, TLS bytes) is a plaintext port's matter, and an incomplete head gets no answer.
            if (why is not ("incomplete head" or "HTTP/2 preface" or "TLS ClientHello"))
            {
                data.Add(why, head);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task EveryOtherHead_OverTls_IsAnsweredByKestrel_AsOverPlaintext(string why, string head)
    {
        // The corpus's request targets, made to name a real file with a valid token: only the head's shape stands in the way.
        var valid = $"/c/{fixture.Token()}/{TlsServingFixture.Title}/v3/video_720p.mp4";
        head = head.Replace("/c/k1.4102444800.sig-_A/t1/v1/video_720p.mp4", valid, StringComparison.Ordinal)
            .Replace("/c/a/t1/v1/f.mp4", valid, StringComparison.Ordinal);
        var before = await fixture.Edge.MetricAsync(DirectTls);

        var overTls = await StatusAsync(fixture.Edge.Tls(), head);
        var overPlaintext = await StatusAsync(fixture.Edge.Plain(), head);

        Assert.Equal(overPlaintext, overTls);
        await Task.Delay(50);
        Assert.Equal(before, await fixture.Edge.MetricAsync(DirectTls)); // Kestrel answered: not the direct TLS path ({why})
        Assert.NotNull(why);
    }

    [Theory]
    [MemberData(nameof(TraversalTests.Targets), MemberType = typeof(TraversalTests))]
    public async Task PathOutsideContentRoot_OverTls_IsRejected(string target)
    {
        using var http = await RawHttp.ConnectAsync(fixture.Edge.Tls());
        var request = target.Replace("{token}", fixture.Token(), StringComparison.Ordinal);
        await http.SendAsync($"GET {request} HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n");
        var (received, _) = await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(20));
        var response = Encoding.Latin1.GetString(received);
        var status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(status is 400 or 403 or 404, $"{target} answered {status}:\n{response}");
        Assert.DoesNotContain("secret", response, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("root:", response, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_NameTheDirectTlsPath_AndTheKernelTlsProbe()
    {
        var metrics = await fixture.Edge.MetricsAsync();

        var available = KernelTls.Probe().Available ? 1 : 0; // by default (Auto) the kernel encrypts where it can
        Assert.Contains($"opencdn_edge_tls_path{{path=\"openssl\"}} {1 - available}", metrics, StringComparison.Ordinal);
        Assert.Contains("opencdn_edge_tls_path{path=\"kestrel\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"opencdn_edge_tls_path{{path=\"ktls\"}} {available}", metrics, StringComparison.Ordinal);
        Assert.Contains($"opencdn_edge_kernel_tls_available {available}", metrics, StringComparison.Ordinal);
    }


    private static void AssertResponse(int status, byte[] body, RawResponse actual)
    {
        Assert.Equal(status, actual.Status);
        Assert.Equal(body, actual.Body);
    }

    private async Task<RawResponse> OneAsync(string request, bool head)
    {
        using var http = await RawHttp.ConnectAsync(fixture.Edge.Tls());
        await http.SendAsync(request);
        return await http.ReadAsync(head);
    }

    private static async Task<int> StatusAsync(Uri server, string head)
    {
        using var http = await RawHttp.ConnectAsync(server);
        await http.SendAsync(head);
        try
        {
            return (await http.ReadAsync().WaitAsync(TimeSpan.FromSeconds(20))).Status;
        }
        catch (IOException)
        {
            return 0; // closed without an answer
        }
    }

    /// <summary>Waits for the direct TLS responses to reach <paramref name="expected"/>, then checks that they do not go past it.</summary>
    private async Task AssertDirectTlsAsync(double expected)
    {
        await Eventually.ValueAsync(() => fixture.Edge.MetricAsync(DirectTls), count => count >= expected, $"{expected} direct TLS responses");
        await Task.Delay(100);
        Assert.Equal(expected, await fixture.Edge.MetricAsync(DirectTls));
    }
}
