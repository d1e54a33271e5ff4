using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;

namespace OpenCdn.Platform.Tests.Storage;

/// <summary>The store contract on the embedded store, with download URLs served by the control plane's origin endpoint.</summary>
public sealed class FileSystemObjectStoreTests(EmbeddedControlPlane controlPlane) : ObjectStoreContract, IClassFixture<EmbeddedControlPlane>
{
    protected override IObjectStore Store => controlPlane.Services.GetRequiredService<IObjectStore>();

    protected override int LargeObjectSize => 1 << 20;

    protected override Task<HttpResponseMessage> DownloadAsync(Uri url) => controlPlane.CreateClient().GetAsync(url.PathAndQuery);

    [Fact]
    public async Task Put_LeavesNoStagedFilesBehind()
    {
        await Store.PutAsync("staging-check/a", new MemoryStream(RandomBytes(10_000, seed: 9)), default);

        Assert.Empty(Directory.EnumerateFiles(controlPlane.Data.Combine("origin", "staging")));
        Assert.True(File.Exists(controlPlane.Data.Combine("origin", "objects", "staging-check", "a")));
    }

    [Fact]
    public async Task Put_FailingMidStream_KeepsThePreviousObject()
    {
        await Store.PutAsync("atomic/a", new MemoryStream([1, 2, 3]), default);

        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("atomic/a", new BodyStream(new byte[5000], failAfter: 2000, chunkSize: 1000), default));

        Assert.Equal(3, (await Store.HeadAsync("atomic/a", default))!.Size);
        Assert.Empty(Directory.EnumerateFiles(controlPlane.Data.Combine("origin", "staging")));
    }

    [Fact]
    public async Task OriginEndpoint_ServesByteRanges()
    {
        await Store.PutAsync("titles/r/v1/video_360p.mp4", new MemoryStream(RandomBytes(2000, seed: 7)), default);
        var url = Store.GetDownloadUrl("titles/r/v1/video_360p.mp4", TimeSpan.FromMinutes(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await controlPlane.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("signature", "AAAA")]
    [InlineData("expires", "1")]
    public async Task OriginEndpoint_RefusesTamperedOrExpiredUrls(string parameter, string value)
    {
        await Store.PutAsync("titles/t/v1/video_240p.mp4", new MemoryStream([1, 2, 3]), default);
        var url = Store.GetDownloadUrl("titles/t/v1/video_240p.mp4", TimeSpan.FromMinutes(1));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        query[parameter] = value;

        using var response = await controlPlane.CreateClient().GetAsync($"{url.AbsolutePath}?{query}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0{0}")]
    [InlineData("%2B{0}")]
    [InlineData("{0}%0A")]
    [InlineData("99999999999")] // signed, but further away than any URL is signed for
    public async Task OriginEndpoint_AcceptsTheExpirySpelledOneWayOnly(string spelling)
    {
        await Store.PutAsync("titles/s/v1/video_240p.mp4", new MemoryStream([1, 2, 3]), default);
        var url = Store.GetDownloadUrl("titles/s/v1/video_240p.mp4", TimeSpan.FromMinutes(1));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var expires = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, query["expires"]);
        var signature = spelling.Contains('{', StringComparison.Ordinal)
            ? query["signature"]
            : await SignatureAsync("titles/s/v1/video_240p.mp4", expires);

        using var response = await controlPlane.CreateClient().GetAsync($"{url.AbsolutePath}?expires={expires}&signature={signature}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OriginEndpoint_UrlForOneObjectDoesNotOpenAnother()
    {
        await Store.PutAsync("titles/a/v1/f.mp4", new MemoryStream([1]), default);
        await Store.PutAsync("titles/b/v1/f.mp4", new MemoryStream([2]), default);
        var url = Store.GetDownloadUrl("titles/a/v1/f.mp4", TimeSpan.FromMinutes(1));

        using var response = await controlPlane.CreateClient().GetAsync($"/origin/titles/b/v1/f.mp4{url.Query}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>The signature the store would write for <paramref name="expires"/>, made with its key from the catalog.</summary>
    private async Task<string> SignatureAsync(string key, string expires)
    {
        var secret = await StoredKeys.ReadAsync(controlPlane.Data.Path, "origin-url");
        var mac = System.Security.Cryptography.HMACSHA256.HashData(secret, System.Text.Encoding.UTF8.GetBytes($"{key}|{expires}"));
        return System.Buffers.Text.Base64Url.EncodeToString(mac);
    }
}

/// <summary>The control plane in embedded mode, in memory, over a data folder of its own.</summary>
public sealed class EmbeddedControlPlane : WebApplicationFactory<Program>
{
    public TempFolder Data { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.UseSetting("OpenCdn:DataFolder", Data.Path);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Data.Dispose();
    }
}
