using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Serving;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Responses share one read handle per catalogued file; a file the catalog replaces, evicts or quarantines is never read
/// through its old handle again.
/// </summary>
public sealed class SharedHandleTests : IAsyncLifetime
{
    private static readonly ContentKey Key = new("t1", 1, "video.mp4");
    private readonly TempFolder _folder = new();
    private readonly SigningKey _key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
    private EdgeHost _edge = null!;

    private string Url => $"c/{DeliveryToken.Issue(_key, Key.TitleId, DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4";

    public async Task InitializeAsync()
    {
        _edge = await EdgeHost.StartAsync(_folder.Path, backgroundServices: false);
        await _edge.SetKeysAsync(_key);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ReplacedFile_IsServedFromItsNewBytes_WithItsNewETag()
    {
        var before = TestContent.Bytes(50_000, seed: 1);
        var after = TestContent.Bytes(50_000, seed: 2);
        await _edge.SeedAsync("t1", 1, "video.mp4", before);
        using var first = await _edge.Client.GetAsync(Url);
        Assert.Equal(before, await first.Content.ReadAsByteArrayAsync());

        await _edge.SeedAsync("t1", 1, "video.mp4", after);
        using var second = await _edge.Client.GetAsync(Url);

        Assert.Equal(after, await second.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task QuarantinedFile_IsNotServed_AndItsHandleIsReleased()
    {
        await _edge.SeedAsync("t1", 1, "video.mp4", TestContent.Bytes(50_000));
        using var served = await _edge.Client.GetAsync(Url);
        var catalog = _edge.Get<ContentCatalog>();
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(1, catalog.OpenFiles);

        await catalog.RemoveAsync(Key, Path.Combine(_folder.Path, "quarantine", "video.mp4.1"), CancellationToken.None);
        using var after = await _edge.Client.GetAsync(Url);

        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(0, catalog.OpenFiles);
    }

    [Fact]
    public async Task FileEvictedWhileSendfileWaitsOnTheClient_EndsTheConnection_ShortOfTheFile()
    {
        const int size = 48 * 1024 * 1024; // far more than loopback socket buffers hold, so sendfile must wait for the reader
        await _edge.SeedAsync("t1", 1, "video.mp4", new byte[size]);
        using var client = new TcpClient { ReceiveBufferSize = 64 * 1024 };
        await client.ConnectAsync(_edge.BaseUrl.Host, _edge.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /{Url} HTTP/1.1\r\nHost: edge\r\n\r\n"));
        var buffer = new byte[64 * 1024];
        var received = await stream.ReadAsync(buffer);
        await Task.Delay(500); // the kernel fills the socket buffers, then sendfile waits

        await _edge.Get<ContentCatalog>().RemoveAsync(Key, moveTo: null, CancellationToken.None);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        }
        catch (IOException)
        {
            // aborted: a reset is how the client learns the body will not be complete
        }

        Assert.InRange(received, 1, size - 1); // the connection ended before the whole file went out
        using var after = await _edge.Client.GetAsync(Url);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task ClientGoneMidSendfile_LeavesTheEdgeServing()
    {
        var bytes = TestContent.Bytes(8 * 1024 * 1024);
        await _edge.SeedAsync("t1", 1, "video.mp4", bytes);
        using (var client = new TcpClient { LingerState = new LingerOption(true, 0) })
        {
            await client.ConnectAsync(_edge.BaseUrl.Host, _edge.BaseUrl.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /{Url} HTTP/1.1\r\nHost: edge\r\n\r\n"));
            Assert.True(await stream.ReadAsync(new byte[1024]) > 0);
        } // reset while the body is still going out

        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1_000_000, 2_572_863);
        using var response = await _edge.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[1_000_000..2_572_864], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task FileShorterThanCatalogued_Sendfile_EndsTheConnection_BeforeThePipelinedNextResponse()
    {
        await _edge.SeedAsync("t1", 1, "video.mp4", TestContent.Bytes(300_000));
        Assert.True(_edge.Get<ContentCatalog>().TryGetServable(Key, out var file));
        await using (var truncate = new FileStream(file.Path, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(100_000); // the same inode the shared handle reads: sendfile meets end of file early
        }
        using var client = new TcpClient();
        await client.ConnectAsync(_edge.BaseUrl.Host, _edge.BaseUrl.Port);
        var stream = client.GetStream();
        var get = $"GET /{Url} HTTP/1.1\r\nHost: edge\r\nRange: bytes=0-299999\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(get + get.Replace("0-299999", "0-9", StringComparison.Ordinal)));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token); // ends when the edge ends the connection
        }
        catch (IOException)
        {
            // aborted: a reset is how the client learns the body will not be complete
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // still open: asserted below
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        Assert.False(timeout.IsCancellationRequested, "the connection stayed open after a short body");
        Assert.True(text.LastIndexOf("HTTP/1.1 ", StringComparison.Ordinal) <= 0, "the next response followed as body bytes");
        Assert.True(received.Length < 300_000);
    }

    [Fact]
    public async Task FileEvictedMidResponse_EndsTheBody_WithNoByteReadAfterwards()
    {
        await _edge.SeedAsync("t1", 1, "video.mp4", TestContent.Bytes(50_000));
        Assert.True(_edge.Get<ContentCatalog>().TryGetServable(Key, out var file));
        Assert.True(file.TryOpen(out var handle, out var owned));
        Assert.False(owned);
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await _edge.Get<ContentCatalog>().RemoveAsync(Key, moveTo: null, CancellationToken.None);
        var outcome = await FileBody.SendAsync(context.Response, handle, 0, 50_000, CancellationToken.None);

        Assert.Equal(SendOutcome.FileClosed, outcome);
        Assert.Equal(0, body.Length);
        Assert.False(file.TryOpen(out _, out _));
    }
}
