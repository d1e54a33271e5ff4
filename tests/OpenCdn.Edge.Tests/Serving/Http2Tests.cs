using System.Net;
using System.Text.Json;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Serving.Http2;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// The edge's own HTTP/2 over TLS. A client must not be able to tell it from Kestrel's: the common content request gets
/// the same status, fields and bytes as Kestrel's full path; every other request is Kestrel's answer; an independent
/// client (curl) gets every range whole; windows are never overrun; a client that stops reading is dropped. Hostile and
/// broken input: <see cref="Http2ProtocolTests"/>.
/// </summary>
public sealed class Http2Tests(TlsServingFixture fixture) : IClassFixture<TlsServingFixture>
{
    private const string DirectTls = "opencdn_edge_direct_tls_responses_total";

    public static TheoryData<string, string[]> Requests => new()
    {
        { "GET", ["Range: bytes=10-509"] },
        { "GET", ["Range: bytes=10-200009"] },
        { "GET", [] },
        { "GET", ["Range: bytes=-7"] },
        { "HEAD", ["Range: bytes=0-99"] },
        { "GET", ["Range: bytes=0-99", "Origin: https://player.example"] },
        { "GET", ["Range: bytes=0-99", "Origin: https://evil.example"] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task DirectHttp2_AnswersExactlyAsKestrelsFullPath(string method, string[] headers)
    {
        var before = await fixture.Edge.MetricAsync(DirectTls);
        var direct = await SendAsync(method, fixture.LargeVideoPath(), headers);
        // A precondition that holds leaves the answer as it is, but only Kestrel's full path takes preconditions.
        var full = await SendAsync(method, fixture.LargeVideoPath(), [.. headers, "If-None-Match: \"another\""]);

        Assert.Equal(before + 1, await fixture.Edge.MetricAsync(DirectTls));
        Assert.Equal(full.Status, direct.Status);
        Assert.Equal(Fields(full), Fields(direct));
        Assert.Equal(full.Body, direct.Body);
    }

    public static TheoryData<string, string, string[]> OtherRequests => new()
    {
        { "a token for another title", "GET", ["Range: bytes=0-9"] },
        { "an unknown file", "GET", [] },
        { "an unsatisfiable range", "GET", ["Range: bytes=900000-900010"] },
        { "two ranges (multipart)", "GET", ["Range: bytes=0-99999,200000-299999"] },
        { "a precondition that fails", "GET", ["If-Match: \"another\""] },
        {
            "a preflight", "OPTIONS",
            ["Origin: https://player.example", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: range"]
        },
        { "a method no route takes", "DELETE", [] },
        { "the health check", "GET", [] },
    };

    [Theory]
    [MemberData(nameof(OtherRequests))]
    public async Task EveryOtherRequest_OverHttp2_GetsKestrelsAnswer_AsOverHttp11(string why, string method, string[] headers)
    {
        var path = why switch
        {
            "a token for another title" => $"/c/{fixture.Token("title2")}/{TlsServingFixture.Title}/v3/video_480p.mp4",
            "an unknown file" => $"/c/{fixture.Token()}/{TlsServingFixture.Title}/v3/video_1080p.mp4",
            "the health check" => "/healthz",
            _ => fixture.LargeVideoPath(),
        };
        var before = await fixture.Edge.MetricAsync(DirectTls);

        var http2 = await SendAsync(method, path, headers);
        var http11 = await SendAsync(method, path, headers, HttpVersion.Version11);

        Assert.Equal(before, await fixture.Edge.MetricAsync(DirectTls)); // Kestrel answered ({why})
        Assert.Equal(http11.Status, http2.Status);
        // HTTP/1.1 frames a body of unknown length in chunks; HTTP/2 has frames of its own.
        Assert.Equal(Fields(http11, "content-length", "transfer-encoding"), Fields(http2, "content-length"));
        if (http2.Fields.GetValueOrDefault("content-type") == "application/problem+json")
        {
            Assert.Equal(Problem(http11.Body), Problem(http2.Body)); // the same problem; each has its own trace id
        }
        else
        {
            Assert.Equal(http11.Body, http2.Body);
        }
    }

    [Fact]
    public async Task Curl_OverHttp2_GetsEveryRangeWhole_MultiplexedOnOneConnection()
    {
        // curl's HTTP/2 is nghttp2's: Huffman-coded fields, its dynamic table, its own windows; six ranges at once.
        using var folder = new TempFolder();
        var before = await fixture.Edge.MetricAsync(DirectTls);
        var url = new Uri(fixture.Edge.Tls(), fixture.LargeVideoPath()).AbsoluteUri;
        var arguments = new List<string> { "--parallel", "--parallel-max", "6" };
        for (var i = 0; i < 6; i++)
        {
            arguments.AddRange([.. i > 0 ? ["--next"] : Array.Empty<string>(), "--http2", "--insecure", "--silent", "--show-error",
                "--range", $"{i * 60_000}-{(i * 60_000) + 99_999}",
                "--output", folder.Combine($"range{i}"), "--write-out", "%{http_version} %{response_code} %{num_connects}\n", url]);
        }

        var (exit, output, errors) = await RunAsync("curl", arguments);

        Assert.True(exit == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 6, output);
        Assert.All(lines, line => Assert.StartsWith("2 206 ", line, StringComparison.Ordinal));
        Assert.Equal(1, lines.Sum(line => int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(fixture.LargeVideo[(i * 60_000)..((i * 60_000) + 100_000)], await File.ReadAllBytesAsync(folder.Combine($"range{i}")));
        }
        Assert.Equal(before + 6, await fixture.Edge.MetricAsync(DirectTls));
    }

    [Fact]
    public async Task SmallStreamWindow_IsNeverOverrun_AndTheBodyArrivesWhole()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls(), streamWindow: 1000);
        await http2.RequestAsync(1, fixture.LargeVideoPath(), fields: ("range", "bytes=0-199999"));

        var (body, window) = (new MemoryStream(), 1000);
        while (await http2.ReadFrameAsync() is { } frame)
        {
            if (frame.Type != Http2Frame.Data)
            {
                continue;
            }
            Assert.InRange(frame.Payload.Length, 0, window); // never past what the client allowed
            window -= frame.Payload.Length;
            body.Write(frame.Payload);
            if ((frame.Flags & Http2Frame.EndStream) != 0)
            {
                break;
            }
            await http2.WindowUpdateAsync(0, Math.Max(frame.Payload.Length, 1));
            if (window < 500)
            {
                await http2.WindowUpdateAsync(1, 3000); // a little at a time
                window += 3000;
            }
        }

        Assert.Equal(fixture.LargeVideo[..200_000], body.ToArray());
    }

    [Fact]
    public async Task ManyStreams_OnOneConnection_EachGetsItsOwnBytes()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        for (var i = 0; i < 8; i++)
        {
            await http2.RequestAsync((2 * i) + 1, fixture.LargeVideoPath(), fields: ("range", $"bytes={i * 40_000}-{(i * 40_000) + 99_999}"));
        }
        var bodies = new Dictionary<int, MemoryStream>();
        var ended = 0;
        while (ended < 8 && await http2.ReadFrameAsync() is { } frame)
        {
            if (frame.Type == Http2Frame.Data)
            {
                bodies.TryAdd(frame.Stream, new MemoryStream());
                bodies[frame.Stream].Write(frame.Payload);
                await http2.WindowUpdateAsync(0, Math.Max(frame.Payload.Length, 1));
                await http2.WindowUpdateAsync(frame.Stream, Math.Max(frame.Payload.Length, 1));
                ended += (frame.Flags & Http2Frame.EndStream) != 0 ? 1 : 0;
            }
        }

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(fixture.LargeVideo[(i * 40_000)..((i * 40_000) + 100_000)], bodies[(2 * i) + 1].ToArray());
        }
    }

    [Fact]
    public async Task ClientThatStopsReading_OverHttp2_IsDisconnected_AfterTheSendTimeout()
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(folder, new Dictionary<string, string?> { ["SendTimeout"] = "00:00:01" });
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await edge.SetKeysAsync(key);
        await edge.SeedAsync("t1", 1, "video.mp4", new byte[24 * 1024 * 1024]);
        using var http2 = await RawHttp2.ConnectAsync(edge.Tls(), streamWindow: int.MaxValue);
        await http2.WindowUpdateAsync(0, int.MaxValue - 65_535);
        await http2.RequestAsync(1, $"/c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4");

        await Task.Delay(TimeSpan.FromSeconds(4)); // reads nothing for longer than the send timeout
        var response = await http2.ReadResponseAsync(1, giveWindow: false);

        Assert.True(response.Closed, "the connection stayed open: the edge waited on the client");
        Assert.InRange(response.Body.Length, 1, (24 * 1024 * 1024) - 1);
        await Eventually.ValueAsync(
            () => edge.MetricAsync("opencdn_edge_responses_cut_short_total{outcome=\"Stalled\"}"), count => count == 1, "one Stalled response");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await errors);
    }


    private static IEnumerable<KeyValuePair<string, string>> Fields(Answer answer, params string[] except) =>
        answer.Fields.Where(f => f.Key != "date" && !except.Contains(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal);

    private static string Problem(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        return $"{json.RootElement.GetProperty("status")} {json.RootElement.GetProperty("title")}";
    }

    /// <summary>One request on a fresh connection of <paramref name="version"/>; the fields as received, names in lowercase.</summary>
    private async Task<Answer> SendAsync(string method, string path, string[] headers, Version? version = null)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1" },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.Edge.Tls(), path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(version ?? HttpVersion.Version20, response.Version);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            fields[name.ToLowerInvariant()] = string.Join(", ", values);
        }
        return new Answer((int)response.StatusCode, fields, await response.Content.ReadAsByteArrayAsync());
    }

    private sealed record Answer(int Status, Dictionary<string, string> Fields, byte[] Body);
}
