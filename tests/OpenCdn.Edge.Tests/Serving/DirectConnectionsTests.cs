using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Plaintext HTTP/1.1 content requests of the common shape are answered below Kestrel's HTTP layer (the direct path). A
/// client must not be able to tell: the same status, headers and bytes as Kestrel's full path; every response whole and
/// in order on one connection, whatever the mix; idle connections closed and shutdown honoured as Kestrel does.
/// </summary>
public sealed partial class DirectConnectionsTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    public static TheoryData<string, string[]> Requests => new()
    {
        { "GET", ["Range: bytes=10-509"] }, // a small body, sent with the head
        { "GET", ["Range: bytes=10-200009"] }, // a large one, by sendfile(2)
        { "GET", [] },
        { "GET", ["Range: bytes=-7"] },
        { "HEAD", ["Range: bytes=0-99"] },
        { "GET", ["Range: bytes=0-99", "Origin: https://player.example"] },
        { "GET", ["Range: bytes=0-99", "Origin: https://evil.example"] },
        { "GET", ["Range: bytes=0-99", "Connection: close"] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task DirectPath_AnswersExactlyAsTheFullPath(string method, string[] headers)
    {
        var path = LargeVideoPath();
        var before = await DirectResponsesAsync(fixture.Edge);
        var direct = await OneAsync(fixture.Edge, RawHttp.Request(method, path, headers), method == "HEAD");
        // A precondition that holds leaves the answer as it is, but only Kestrel's full path takes preconditions.
        var full = await OneAsync(fixture.Edge, RawHttp.Request(method, path, [.. headers, "If-None-Match: \"another\""]), method == "HEAD");

        await AssertDirectResponsesAsync(fixture.Edge, before + 1); // one of the two, and only one, took the direct path
        Assert.Equal(full.Status, direct.Status);
        Assert.Equal(full.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key), direct.Headers.Where(h => h.Key != "date").OrderBy(h => h.Key));
        Assert.Equal(full.Body, direct.Body);
    }

    [Fact]
    public async Task PipelinedMixOfResponses_OnOneConnection_ArriveWholeAndInOrder()
    {
        var before = await DirectResponsesAsync(fixture.Edge);
        var path = LargeVideoPath();
        var etag = "\"" + TestContent.Sha256(fixture.LargeVideo)[..32] + "\"";
        var video = fixture.LargeVideo;
        using var http = await RawHttp.ConnectAsync(fixture.Edge.BaseUrl);
        await http.SendAsync(string.Concat( // the direct path serves two, then hands the connection to Kestrel at the third
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
        Assert.Equal(416, (await http.ReadAsync()).Status); // its body, if any, is read and skipped
        AssertResponse(206, video[^7..], await http.ReadAsync());
        await AssertDirectResponsesAsync(fixture.Edge, before + 2);
    }

    [Fact]
    public async Task WithAHostAllowList_EveryRequestGoesThroughHostFiltering()
    {
        await using var edge = await StartEdgeAsync(new Dictionary<string, string?> { ["AllowedHosts"] = "edge.example;127.0.0.1" });
        using var http = await RawHttp.ConnectAsync(edge.Host.BaseUrl);
        await http.SendAsync(RawHttp.Request("GET", edge.Path, "Range: bytes=0-9")); // Host: edge

        Assert.Equal(400, (await http.ReadAsync()).Status);
        await AssertDirectResponsesAsync(edge.Host, 0);
    }

    [Fact]
    public async Task IdleConnection_IsClosed_AfterTheKeepAliveTimeout()
    {
        await using var edge = await StartEdgeAsync(new Dictionary<string, string?> { ["Kestrel:Limits:KeepAliveTimeout"] = "00:00:01" });
        using var http = await RawHttp.ConnectAsync(edge.Host.BaseUrl);
        await http.SendAsync(RawHttp.Request("GET", edge.Path, "Range: bytes=0-9"));

        Assert.Equal(206, (await http.ReadAsync()).Status);
        await AssertDirectResponsesAsync(edge.Host, 1);
        Assert.True((await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(10))).Closed, "an idle connection stayed open past the keep-alive timeout");
    }

    [Fact]
    public async Task StoppingTheEdge_ClosesIdleConnections_WithoutWaitingForTheShutdownTimeout()
    {
        var edge = await StartEdgeAsync();
        using var http = await RawHttp.ConnectAsync(edge.Host.BaseUrl);
        await http.SendAsync(RawHttp.Request("GET", edge.Path, "Range: bytes=0-9"));
        Assert.Equal(206, (await http.ReadAsync()).Status);
        await AssertDirectResponsesAsync(edge.Host, 1);

        var stopping = Stopwatch.StartNew();
        await edge.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed} (shutdown timeout: 30 s)");
        Assert.True((await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))).Closed);
    }

    [Fact]
    public async Task ClientThatStopsReading_IsDisconnected_AfterTheSendTimeout()
    {
        const int size = 24 * 1024 * 1024; // far more than loopback socket buffers hold: the edge must wait for the reader
        await using var edge = await StartEdgeAsync(new Dictionary<string, string?> { ["SendTimeout"] = "00:00:01" }, size);
        using var http = await RawHttp.ConnectAsync(edge.Host.BaseUrl, receiveBufferSize: 64 * 1024);
        await http.SendAsync(RawHttp.Request("GET", edge.Path));

        await Task.Delay(TimeSpan.FromSeconds(4)); // reads nothing for longer than the send timeout
        var (received, closed) = await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(30));

        Assert.True(closed, "the connection stayed open: the edge waited on the client");
        Assert.InRange(received.Length, 1, size - 1); // what the socket buffers held, then the end of the connection
        await Eventually.ValueAsync(() => CutShortTests.CutShortAsync(edge.Host, "Stalled"), count => count == 1, "one Stalled response was counted");
        Assert.Equal(0, await CutShortTests.CutShortAsync(edge.Host, "ClientGone"));
    }

    private string LargeVideoPath() => $"/c/{fixture.Token()}/{ServingFixture.Title}/v3/video_480p.mp4";

    private static void AssertResponse(int status, byte[] body, RawResponse actual)
    {
        Assert.Equal(status, actual.Status);
        Assert.Equal(body, actual.Body);
    }

    private static async Task<RawResponse> OneAsync(EdgeHost edge, string request, bool head)
    {
        using var http = await RawHttp.ConnectAsync(edge.BaseUrl);
        await http.SendAsync(request);
        return await http.ReadAsync(head);
    }

    /// <summary>
    /// Waits for the edge's count of direct responses to reach <paramref name="expected"/> (it is counted just after the
    /// last byte went to the kernel, so a fast client can ask first), then checks that it does not go past it.
    /// </summary>
    private static async Task AssertDirectResponsesAsync(EdgeHost edge, int expected)
    {
        await Eventually.ValueAsync(() => DirectResponsesAsync(edge), count => count >= expected, $"{expected} direct responses were counted");
        await Task.Delay(100); // and no more than that
        Assert.Equal(expected, await DirectResponsesAsync(edge));
    }

    /// <summary>The edge's <c>opencdn_edge_direct_responses_total</c>.</summary>
    private static async Task<int> DirectResponsesAsync(EdgeHost edge) =>
        int.Parse(DirectResponses().Match(await edge.Client.GetStringAsync("metrics")).Groups[1].Value, CultureInfo.InvariantCulture);

    private static async Task<OwnEdge> StartEdgeAsync(Dictionary<string, string?>? settings = null, int size = 1000)
    {
        var folder = new TempFolder();
        var host = await EdgeHost.StartAsync(folder.Path, settings, backgroundServices: false);
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await host.SetKeysAsync(key);
        await host.SeedAsync("t1", 1, "video.mp4", new byte[size]);
        return new OwnEdge(
            host, folder, $"/c/{OpenCdn.Contracts.Delivery.DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4");
    }

    [GeneratedRegex(@"^opencdn_edge_direct_responses_total (\d+)", RegexOptions.Multiline)]
    private static partial Regex DirectResponses();

    private sealed record OwnEdge(EdgeHost Host, TempFolder Folder, string Path) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Folder.Dispose();
        }
    }
}
