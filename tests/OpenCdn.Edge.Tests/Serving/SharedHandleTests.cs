using System.Net;
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

        Assert.Equal(FileBodyOutcome.FileClosed, outcome);
        Assert.Equal(0, body.Length);
        Assert.False(file.TryOpen(out _, out _));
    }
}
