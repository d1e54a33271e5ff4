using System.Globalization;
using System.Net;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Byte ranges and conditional requests on the content route, case by case against RFC 9110 (the section each row
/// checks is its first column), over real sockets.
/// </summary>
public sealed class RangeAndConditionalTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private const string ETag = "{etag}";
    private const string LastModified = "{last-modified}";
    private const string DayBefore = "{day-before}";

    public static TheoryData<string, string, string, (string Name, string Value)[], int, string?, int> Cases => new()
    {
        // section, description, method, request headers, status, Content-Range, body length
        { "15.3.1", "no Range: the whole representation", "GET", [], 200, null, 1000 },
        { "14.2 / 15.3.7", "first 100 bytes", "GET", [("Range", "bytes=0-99")], 206, "bytes 0-99/1000", 100 },
        { "14.1.2", "open-ended range", "GET", [("Range", "bytes=900-")], 206, "bytes 900-999/1000", 100 },
        { "14.1.2", "suffix range", "GET", [("Range", "bytes=-100")], 206, "bytes 900-999/1000", 100 },
        { "14.1.2", "last-pos past the end is clamped", "GET", [("Range", "bytes=990-5000")], 206, "bytes 990-999/1000", 10 },
        { "14.1.1", "one byte", "GET", [("Range", "bytes=500-500")], 206, "bytes 500-500/1000", 1 },
        { "15.5.17 / 14.4", "first-pos at the length: 416 with bytes */length", "GET", [("Range", "bytes=1000-1100")], 416, "bytes */1000", 0 },
        { "14.2", "range unit names are case-insensitive", "GET", [("Range", "Bytes=0-9")], 206, "bytes 0-9/1000", 10 },
        { "14.2", "several ranges may be ignored: the whole representation", "GET", [("Range", "bytes=0-1,5-6")], 200, null, 1000 },
        { "14.1.2", "suffix longer than the representation: all of it as a range", "GET", [("Range", "bytes=-2000")], 206, "bytes 0-999/1000", 1000 },
        { "14.1.2", "zero-length suffix is unsatisfiable", "GET", [("Range", "bytes=-0")], 416, "bytes */1000", 0 },
        { "14.1.1", "last-pos before first-pos is invalid: ignored", "GET", [("Range", "bytes=5-2")], 200, null, 1000 },
        { "14.2", "two Range fields are ignored", "GET", [("Range", "bytes=0-1"), ("Range", "bytes=2-3")], 200, null, 1000 },
        { "14.2", "unknown range unit is ignored", "GET", [("Range", "items=0-1")], 200, null, 1000 },
        { "14.2", "syntactically invalid range is ignored", "GET", [("Range", "bytes=abc")], 200, null, 1000 },
        { "13.1.2 / 15.4.5", "If-None-Match with the current ETag: 304", "GET", [("If-None-Match", ETag)], 304, null, 0 },
        { "13.1.2", "If-None-Match with another ETag: 200", "GET", [("If-None-Match", "\"other\"")], 200, null, 1000 },
        { "13.1.2", "If-None-Match: * on an existing file: 304", "GET", [("If-None-Match", "*")], 304, null, 0 },
        { "13.1.2 / 8.8.3.2", "If-None-Match uses the weak comparison: W/ of the ETag matches", "GET",
            [("If-None-Match", "W/" + ETag)], 304, null, 0 },
        { "13.1.1 / 8.8.3.2", "If-Match uses the strong comparison: W/ of the ETag fails", "GET", [("If-Match", "W/" + ETag)], 412, null, 0 },
        { "13.1.5", "If-Range with a weak ETag never matches: the whole representation", "GET", [("If-Range", "W/" + ETag), ("Range", "bytes=0-99")],
            200, null, 1000 },
        { "13.1.1 / 15.5.13", "If-Match with another ETag: 412", "GET", [("If-Match", "\"other\"")], 412, null, 0 },
        { "13.1.1", "If-Match with the current ETag: 200", "GET", [("If-Match", ETag)], 200, null, 1000 },
        { "13.1.1", "If-Match: *: 200", "GET", [("If-Match", "*")], 200, null, 1000 },
        { "13.1.3", "If-Modified-Since at Last-Modified: 304", "GET", [("If-Modified-Since", LastModified)], 304, null, 0 },
        { "13.1.3", "If-Modified-Since a day earlier: 200", "GET", [("If-Modified-Since", DayBefore)], 200, null, 1000 },
        { "13.1.4", "If-Unmodified-Since a day earlier: 412", "GET", [("If-Unmodified-Since", DayBefore)], 412, null, 0 },
        { "13.2.2", "If-None-Match takes precedence over If-Modified-Since", "GET",
            [("If-None-Match", "\"other\""), ("If-Modified-Since", LastModified)], 200, null, 1000 },
        { "13.1.5", "If-Range with the current ETag: the range", "GET", [("If-Range", ETag), ("Range", "bytes=0-99")], 206, "bytes 0-99/1000", 100 },
        { "13.1.5", "If-Range with a stale ETag: the whole representation", "GET", [("If-Range", "\"stale\""), ("Range", "bytes=0-99")],
            200, null, 1000 },
        { "13.1.5", "If-Range with Last-Modified: the range", "GET", [("If-Range", LastModified), ("Range", "bytes=0-99")], 206,
            "bytes 0-99/1000", 100 },
        { "13.1.5", "If-Range with an older date: the whole representation", "GET", [("If-Range", DayBefore), ("Range", "bytes=0-99")],
            200, null, 1000 },
        { "13.2.2", "If-Match failing wins over Range: 412", "GET", [("If-Match", "\"other\""), ("Range", "bytes=0-99")], 412, null, 0 },
        { "9.3.2", "HEAD: the GET headers, no body", "HEAD", [], 200, null, 0 },
        { "9.3.2 / 14.2", "HEAD with a range", "HEAD", [("Range", "bytes=0-99")], 206, "bytes 0-99/1000", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ContentRoute_FollowsRfc9110(
        string section, string description, string method, (string Name, string Value)[] headers, int status, string? contentRange, int bodyLength)
    {
        var validators = await ValidatorsAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), fixture.VideoPath);
        foreach (var (name, value) in headers)
        {
            var resolved = value.Replace(ETag, validators.ETag, StringComparison.Ordinal)
                .Replace(LastModified, validators.LastModified.ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace(DayBefore, validators.LastModified.AddDays(-1).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(name, resolved);
        }

        using var response = await fixture.Edge.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        var because = $"RFC 9110 §{section}: {description}";
        Assert.True(status == (int)response.StatusCode, $"{because}: expected {status}, got {(int)response.StatusCode}");
        Assert.True(
            contentRange == response.Content.Headers.ContentRange?.ToString(), $"{because}: Content-Range {response.Content.Headers.ContentRange}");
        if (status < 400)
        {
            Assert.True(bodyLength == body.Length, $"{because}: body of {body.Length} bytes");
        }
        if (status == 206 && method == "GET")
        {
            var range = response.Content.Headers.ContentRange!;
            Assert.Equal(fixture.Video.AsSpan((int)range.From!.Value, bodyLength).ToArray(), body);
        }
        if (method == "HEAD")
        {
            Assert.Equal(status == 206 ? 100 : 1000, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task FullResponse_CarriesValidatorsTypeAndImmutableCaching()
    {
        using var response = await fixture.Edge.Client.GetAsync(fixture.VideoPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", string.Join(",", response.Headers.AcceptRanges));
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(fixture.Video, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AudioFile_IsAudioMp4()
    {
        using var response = await fixture.Edge.Client.GetAsync($"c/{fixture.Token()}/{ServingFixture.Title}/v3/audio_en.mp4");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(fixture.Audio, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnknownFile_Returns404()
    {
        using var response = await fixture.Edge.Client.GetAsync($"c/{fixture.Token()}/{ServingFixture.Title}/v3/video_1080p.mp4");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<(string ETag, DateTimeOffset LastModified)> ValidatorsAsync()
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, fixture.VideoPath);
        using var response = await fixture.Edge.Client.SendAsync(head);
        return (response.Headers.ETag!.ToString(), response.Content.Headers.LastModified!.Value);
    }
}
