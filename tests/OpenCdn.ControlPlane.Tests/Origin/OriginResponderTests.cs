using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Tests.Origin;

/// <summary>The origin endpoints (<c>/o/…</c> for players, signed <c>/origin/…</c> for fills) and RFC 9110's conditional requests.</summary>
public sealed class OriginResponderTests : IAsyncLifetime
{
    private const string TitleId = "t0rigin";
    private static readonly byte[] Body = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
    private readonly ControlPlaneApp _app = new();

    public async Task InitializeAsync()
    {
        using var body = new MemoryStream(Body);
        await _app.Services.GetRequiredService<IObjectStore>().PutAsync($"titles/{TitleId}/v1/video_720p.mp4", body, default);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task IfRange_WithAnotherETag_Returns200WholeBody_Rfc9110_13_1_5()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PlaybackUrl());
        request.Headers.Range = new RangeHeaderValue(0, 99);
        request.Headers.IfRange = new RangeConditionHeaderValue("\"not-the-current-etag\"");

        using var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfRange_WithTheCurrentETag_Returns206_Rfc9110_13_1_5()
    {
        var etag = await ETagAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, PlaybackUrl());
        request.Headers.Range = new RangeHeaderValue(0, 99);
        request.Headers.IfRange = new RangeConditionHeaderValue(etag);

        using var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(Body[..100], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfNoneMatch_WithTheCurrentETag_Returns304_Rfc9110_13_1_2()
    {
        var etag = await ETagAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, PlaybackUrl());
        request.Headers.IfNoneMatch.Add(etag);

        using var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfNoneMatch_WithAnotherETag_Returns200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PlaybackUrl());
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"old\""));

        using var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_OnASignedOriginUrl_AnswersLikeGetWithoutBody()
    {
        var url = _app.Services.GetRequiredService<OriginUrlSigner>().Sign($"titles/{TitleId}/v1/video_720p.mp4", TimeSpan.FromHours(1)).PathAndQuery;
        using var client = _app.CreateClient();

        using var get = await client.GetAsync(url);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("video_720p.mp4%0a")]
    [InlineData("video_720p.mp4%0d%0a")]
    public async Task FileNameWithATrailingNewline_IsNotServed(string file)
    {
        using var response = await _app.CreateClient().GetAsync(PlaybackUrl(file));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private string PlaybackUrl(string file = "video_720p.mp4")
    {
        var keys = _app.Services.GetRequiredService<DeliveryKeyRing>();
        var token = DeliveryToken.Issue(keys.Current(DeliveryAudience.Origin), TitleId, _app.Clock.GetUtcNow().AddHours(1));
        return $"/o/{token}/{TitleId}/v1/{file}";
    }

    private async Task<EntityTagHeaderValue> ETagAsync()
    {
        using var response = await _app.CreateClient().GetAsync(PlaybackUrl());
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!;
    }
}
