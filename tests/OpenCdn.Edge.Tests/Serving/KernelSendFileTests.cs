using System.Globalization;
using System.Net.Sockets;
using System.Text;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Plaintext HTTP/1.1 content bodies go out with sendfile(2) beside the bytes Kestrel writes; on one connection, whatever
/// the mix of responses and even pipelined, every response must arrive whole and in order.
/// </summary>
public sealed class KernelSendFileTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    [Fact]
    public async Task PipelinedMixOfResponses_OnOneConnection_ArriveWholeAndInOrder()
    {
        var path = $"/c/{fixture.Token()}/{ServingFixture.Title}/v3/video_480p.mp4";
        var etag = "\"" + TestContent.Sha256(fixture.LargeVideo)[..32] + "\"";
        var video = fixture.LargeVideo;
        string[] requests =
        [
            Request("GET", path, "Range: bytes=10-200009"),
            Request("GET", path, "Range: bytes=10-509"),
            Request("GET", path, $"If-None-Match: {etag}"),
            Request("GET", path, string.Empty),
            Request("HEAD", path, "Range: bytes=0-99"),
            Request("GET", path, "Range: bytes=400000-400100"),
            Request("GET", path, "Range: bytes=-7"),
        ];
        using var client = new TcpClient();
        await client.ConnectAsync(fixture.Edge.BaseUrl.Host, fixture.Edge.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(requests)));

        AssertResponse(206, video[10..200010], await ReadResponseAsync(stream, head: false));
        AssertResponse(206, video[10..510], await ReadResponseAsync(stream, head: false));
        AssertResponse(304, Array.Empty<byte>(), await ReadResponseAsync(stream, head: false));
        AssertResponse(200, video, await ReadResponseAsync(stream, head: false));
        AssertResponse(206, Array.Empty<byte>(), await ReadResponseAsync(stream, head: true));
        Assert.Equal(416, (await ReadResponseAsync(stream, head: false)).Status); // its body, if any, is read and skipped
        AssertResponse(206, video[^7..], await ReadResponseAsync(stream, head: false));
    }

    private static void AssertResponse(int status, byte[] body, (int Status, byte[] Body) actual)
    {
        Assert.Equal(status, actual.Status);
        Assert.Equal(body, actual.Body);
    }

    private static string Request(string method, string path, string header) =>
        $"{method} {path} HTTP/1.1\r\nHost: edge\r\n{(header.Length > 0 ? header + "\r\n" : string.Empty)}\r\n";

    /// <summary>Reads one response: the status, then exactly Content-Length body bytes (none for HEAD and 304).</summary>
    private static async Task<(int Status, byte[] Body)> ReadResponseAsync(NetworkStream stream, bool head)
    {
        var headers = new StringBuilder();
        var one = new byte[1];
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one));
            headers.Append((char)one[0]);
        }
        var text = headers.ToString();
        var status = int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var lengthLine = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = head || status == 304 || lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return (status, body);
    }
}
