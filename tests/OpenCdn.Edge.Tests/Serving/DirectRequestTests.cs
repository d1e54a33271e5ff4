using System.Buffers;
using System.Text;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// The direct path answers only strictly well-formed heads of one shape (RFC 9112 §2–§5); every other head, well-formed
/// or not, must be left whole to Kestrel, which answers it or rejects it (400, 431, …) by its own rules.
/// </summary>
public sealed class DirectRequestTests
{
    private const string Line = "GET /c/k1.4102444800.sig-_A/t1/v1/video_720p.mp4 HTTP/1.1\r\n";

    [Fact]
    public void TryParse_ReadsTheRequestAndTheLengthOfItsHeadOnly()
    {
        var head = Line + "host: edge\r\nRANGE: bytes=0-99\r\nOrigin: https://player.example\r\nUser-Agent: x/1 (y; z)\r\n\r\n";

        Assert.True(DirectRequest.TryParse(Encoding.ASCII.GetBytes(head + "GET /next HTTP/1.1\r\n"), out var request, out var length));

        Assert.Equal(
            new DirectRequest(false, "/c/k1.4102444800.sig-_A/t1/v1/video_720p.mp4", "bytes=0-99", "https://player.example", false), request);
        Assert.Equal(head.Length, length);
    }

    [Fact]
    public void TryParse_TakesWhatABrowserPlayerSends()
    {
        // Chromium's request for a segment fetched by dash.js from another origin.
        var head = Line + string.Join("\r\n",
            "Host: 127.0.0.2:8081",
            "Connection: keep-alive",
            "sec-ch-ua-platform: \"Linux\"",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "sec-ch-ua: \"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\"",
            "Range: bytes=0-1572863",
            "sec-ch-ua-mobile: ?0",
            "Accept: */*",
            "Origin: http://127.0.0.1:8080",
            "Sec-Fetch-Site: cross-site",
            "Sec-Fetch-Mode: cors",
            "Sec-Fetch-Dest: empty",
            "Referer: http://127.0.0.1:8080/",
            "Accept-Encoding: gzip, deflate, br",
            "Accept-Language: en-US,en;q=0.9") + "\r\n\r\n";

        Assert.True(Parse(head, out var request));

        Assert.Equal(("bytes=0-1572863", "http://127.0.0.1:8080", false), (request.Range, request.Origin, request.Close));
    }

    [Theory]
    [InlineData("Connection: close", true)]
    [InlineData("Connection: keep-alive, Close", true)]
    [InlineData("Connection: keep-alive", false)]
    public void TryParse_ReadsConnectionClose(string header, bool close)
    {
        Assert.True(Parse($"HEAD /c/a/t1/v1/f.mp4 HTTP/1.1\r\nHost: e\r\n{header}\r\n\r\n", out var request));

        Assert.True(request.IsHead);
        Assert.Equal(close, request.Close);
    }

    [Fact]
    public void TryParse_ReadsAHeadSplitOverSegments()
    {
        var bytes = Encoding.ASCII.GetBytes(Line + "Host: edge\r\nRange: bytes=5-\r\n\r\n");
        var first = new Segment(bytes[..10]);
        var last = first.Append(bytes[10..]);

        Assert.True(DirectRequest.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var request, out var length));

        Assert.Equal("bytes=5-", request.Range);
        Assert.Equal(bytes.Length, length);
    }

    public static TheoryData<string, string> LeftToKestrel => new()
    {
        { "incomplete head", Line + "Host: e\r\n" },
        { "no Host", Line + "\r\n" },
        { "two Hosts (RFC 9112 §3.2: 400)", Line + "Host: e\r\nHost: f\r\n\r\n" },
        { "an empty Host", Line + "Host: \r\n\r\n" },
        { "a Host with userinfo", Line + "Host: evil@edge\r\n\r\n" },
        { "a Host with a space (RFC 9112 §3.2: 400)", Line + "Host: a b\r\n\r\n" },
        { "two Ranges", Line + "Host: e\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n" },
        { "two Origins", Line + "Host: e\r\nOrigin: https://a\r\nOrigin: https://b\r\n\r\n" },
        { "If-None-Match", Line + "Host: e\r\nIf-None-Match: \"x\"\r\n\r\n" },
        { "If-Range", Line + "Host: e\r\nIf-Range: \"x\"\r\nRange: bytes=0-1\r\n\r\n" },
        { "If-Modified-Since", Line + "Host: e\r\nif-modified-since: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n" },
        { "a body (Content-Length)", Line + "Host: e\r\nContent-Length: 0\r\n\r\n" },
        { "a body (Transfer-Encoding)", Line + "Host: e\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
        { "Expect", Line + "Host: e\r\nExpect: 100-continue\r\n\r\n" },
        { "Upgrade", Line + "Host: e\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n" },
        { "HTTP/1.0", "GET /c/a/t1/v1/f.mp4 HTTP/1.0\r\nHost: e\r\n\r\n" },
        { "POST", "POST /c/a/t1/v1/f.mp4 HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "another route", "GET /healthz HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "a query", "GET /c/a/t1/v1/f.mp4?x=1 HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "a percent-escape", "GET /c/a/t1/v1/%2e%2e HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "a backslash", "GET /c/a/t1/v1/..\\f.mp4 HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "absolute form", "GET http://e/c/a/t1/v1/f.mp4 HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "two spaces", "GET  /c/a/t1/v1/f.mp4 HTTP/1.1\r\nHost: e\r\n\r\n" },
        { "bare LF ending a line", Line + "Host: e\nRange: bytes=0-1\r\n\r\n" },
        { "bare CR in a value", Line + "Host: e\rRange: bytes=0-1\r\n\r\n" },
        { "obs-fold (RFC 9112 §5.2)", Line + "Host: e\r\nRange: bytes=0-1\r\n x\r\n\r\n" },
        { "space before the colon (RFC 9112 §5.1: 400)", Line + "Host : e\r\n\r\n" },
        { "empty header name", Line + "Host: e\r\n: x\r\n\r\n" },
        { "a control character in a value", Line + "Host: e\r\nRange: bytes=0-1\u0001\r\n\r\n" },
        { "obs-text in a value", Line + "Host: e\r\nUser-Agent: caf\u00e9\r\n\r\n" },
        { "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" },
        { "TLS ClientHello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003\r\n\r\n" },
        { "a head longer than 8 KiB", Line + "Host: e\r\nX-Pad: " + new string('a', 9000) + "\r\n\r\n" },
        { "more than 100 header lines", Line + "Host: e\r\n" + string.Concat(Enumerable.Repeat("X-A: b\r\n", 100)) + "\r\n" },
    };

    [Theory]
    [MemberData(nameof(LeftToKestrel))]
    public void TryParse_LeavesEveryOtherHeadToKestrel(string why, string head)
    {
        Assert.False(Parse(head, out _), why);
    }

    private static bool Parse(string head, out DirectRequest request) =>
        DirectRequest.TryParse(Encoding.Latin1.GetBytes(head), out request, out _);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
