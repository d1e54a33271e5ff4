using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using OpenCdn.Edge.Serving.Http2;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// The edge's own HTTP/2 against hostile or broken input, over TLS with a raw-frame client: a malformed request resets its
/// stream and the connection goes on; a broken frame ends the connection with GOAWAY and its code; header blocks, streams
/// and the traversal corpus are bounded and refused as RFC 9113 and the full path would.
/// </summary>
public sealed class Http2ProtocolTests(TlsServingFixture fixture) : IClassFixture<TlsServingFixture>
{
    public static TheoryData<string, (string, string)[]> MalformedRequests => new()
    {
        { "an uppercase name", [("Range", "bytes=0-9")] },
        { "a connection-specific field", [("connection", "keep-alive")] },
        { "te other than trailers", [("te", "gzip")] },
        { "a value with a space at its end", [("range", "bytes=0-9 ")] },
        { "a value with a line feed", [("x-note", "a\nb")] },
        { "a pseudo-header after a field", [("range", "bytes=0-9"), (":path", "/healthz")] },
        { "an unknown pseudo-header", [(":protocol", "websocket")] },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task MalformedRequest_ResetsItsStream_AndTheConnectionGoesOn(string why, (string, string)[] fields)
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        await http2.RequestAsync(1, fixture.LargeVideoPath(), fields: fields);
        await http2.RequestAsync(3, fixture.LargeVideoPath(), fields: ("range", "bytes=0-9"));

        Assert.Equal((uint)Http2Error.ProtocolError, (await http2.ReadResponseAsync(1)).Reset);
        var next = await http2.ReadResponseAsync(3);
        Assert.Equal(206, next.Status);
        Assert.Equal(fixture.LargeVideo[..10], next.Body);
        Assert.NotNull(why);
    }

    public static TheoryData<string, byte[], uint> BrokenConnections => new()
    {
        { "HEADERS on stream 0", Frame(Http2Frame.Headers, Http2Frame.EndHeaders, 0, RawHttp2.Block((":method", "GET"))), 0x1 },
        { "HEADERS on an even stream", Frame(Http2Frame.Headers, Http2Frame.EndHeaders, 2, RawHttp2.Block((":method", "GET"))), 0x1 },
        { "a frame longer than 16 KiB", Frame(0xfa, 0, 0, new byte[20_000]), 0x6 },
        { "an index past both tables", Frame(Http2Frame.Headers, 5, 1, [0xff, 0x7f]), 0x9 },
        { "a bad Huffman string", Frame(Http2Frame.Headers, 5, 1, [0x00, 0x81, 0x00, 0x81, 0x00]), 0x9 },
        { "DATA on a stream never opened", Frame(Http2Frame.Data, 0, 7, [1, 2, 3]), 0x1 },
        { "a CONTINUATION with no HEADERS", Frame(Http2Frame.Continuation, 4, 1, [0x82]), 0x1 },
        { "a PUSH_PROMISE", Frame(Http2Frame.PushPromise, 4, 1, [0, 0, 0, 2, 0x82]), 0x1 },
        { "a window past 2^31-1", Frame(Http2Frame.WindowUpdate, 0, 0, [0x7f, 0xff, 0xff, 0xff]), 0x3 },
        { "a SETTINGS of 5 bytes", Frame(Http2Frame.Settings, 0, 0, [0, 4, 0, 0, 0]), 0x6 },
        { "a PING of 4 bytes", Frame(Http2Frame.Ping, 0, 0, [1, 2, 3, 4]), 0x6 },
    };

    [Theory]
    [MemberData(nameof(BrokenConnections))]
    public async Task BrokenFrame_EndsTheConnection_WithGoAwayAndItsCode(string why, byte[] frame, uint code)
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        await http2.SendRawAsync(frame);

        Assert.Equal(code, (await GoAwayAsync(http2)).Code);
        Assert.Null(await http2.ReadFrameAsync(TimeSpan.FromSeconds(10))); // and closes
        Assert.NotNull(why);
    }

    [Fact]
    public async Task EndlessHeaderBlock_EndsTheConnection_BeforeItHoldsMoreThan32KiB()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        await http2.SendAsync(Http2Frame.Headers, 0, 1, RawHttp2.Block((":method", "GET")));
        for (var i = 0; i < 4; i++)
        {
            await http2.SendAsync(Http2Frame.Continuation, 0, 1, RawHttp2.Block(("x-filler", new string('a', 16_000))));
        }

        Assert.Equal((uint)Http2Error.EnhanceYourCalm, (await GoAwayAsync(http2)).Code);
    }

    [Fact]
    public async Task HeaderBlockNotWholeInTime_EndsTheConnection_ThoughTheClientKeepsItBusy()
    {
        using var folder = new TempFolder();
        await using var edge = await TlsEdge.StartAsync(
            folder, new Dictionary<string, string?> { ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:01" });
        using var http2 = await RawHttp2.ConnectAsync(edge.Tls());
        await http2.SendAsync(Http2Frame.Headers, 0, 1, RawHttp2.Block((":method", "GET"))); // no END_HEADERS, and no CONTINUATION
        var clock = Stopwatch.StartNew();
        // An empty CONTINUATION every 200 ms (any other frame would be a protocol error at once): were each frame to
        // restart the wait, the block would hold its buffer for ever.
        var continuing = Task.Run(async () =>
        {
            try
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(10))
                {
                    await http2.SendAsync(Http2Frame.Continuation, 0, 1, []);
                    await Task.Delay(200);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // closed by the edge, as it should be
            }
        });

        Assert.Equal((uint)Http2Error.ProtocolError, (await GoAwayAsync(http2)).Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        await continuing;
    }

    [Fact]
    public async Task NoPreface_GetsGoAway_AndNoContent()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls(), preface: false);
        await http2.SendRawAsync(Encoding.ASCII.GetBytes($"GET {fixture.LargeVideoPath()} HTTP/1.1\r\nHost: edge\r\n\r\n"));

        Assert.Equal((uint)Http2Error.ProtocolError, (await GoAwayAsync(http2)).Code);
    }

    [Fact]
    public async Task Ping_IsAnsweredWithItsPayload_AndSettingsWithAnAck()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        await http2.SendAsync(Http2Frame.Ping, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]);

        var frames = new List<RawFrame>();
        while (!frames.Any(f => f.Type == Http2Frame.Ping) && await http2.ReadFrameAsync() is { } frame)
        {
            frames.Add(frame);
        }
        var settings = frames.First(f => f.Type == Http2Frame.Settings && f.Flags == 0);
        Assert.Contains(frames, f => f.Type == Http2Frame.Settings && f.Flags == Http2Frame.Ack);
        Assert.Equal(100u, Setting(settings.Payload, Http2Frame.SettingMaxConcurrentStreams));
        var pong = frames.Single(f => f.Type == Http2Frame.Ping);
        Assert.Equal(Http2Frame.Ack, pong.Flags);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], pong.Payload);
    }

    [Fact]
    public async Task StreamsPastTheLimit_AreRefused_TheOthersServed()
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls(), streamWindow: 0); // every response waits for window
        for (var i = 0; i < 101; i++)
        {
            await http2.RequestAsync((2 * i) + 1, fixture.LargeVideoPath(), fields: ("range", "bytes=0-9"));
        }

        Assert.Equal((uint)Http2Error.RefusedStream, (await http2.ReadResponseAsync(201)).Reset);
        await http2.WindowUpdateAsync(199, 10);
        var served = await http2.ReadResponseAsync(199, giveWindow: false);
        Assert.Equal(fixture.LargeVideo[..10], served.Body);
    }

    [Theory]
    [MemberData(nameof(TraversalTests.Targets), MemberType = typeof(TraversalTests))]
    public async Task PathOutsideContentRoot_OverHttp2_IsRejected(string target)
    {
        using var http2 = await RawHttp2.ConnectAsync(fixture.Edge.Tls());
        await http2.RequestAsync(1, target.Replace("{token}", fixture.Token(), StringComparison.Ordinal));
        var response = await http2.ReadResponseAsync(1);
        var text = Encoding.Latin1.GetString(response.Body);

        Assert.True(response.Status is 400 or 403 or 404 || response.Reset == (uint)Http2Error.ProtocolError, $"{target}: {response}");
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", text, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[Http2Frame.HeaderBytes + payload.Length];
        Http2Frame.WriteHeader(frame, payload.Length, type, flags, stream);
        payload.CopyTo(frame, Http2Frame.HeaderBytes);
        return frame;
    }

    private static uint? Setting(byte[] payload, ushort id)
    {
        for (var i = 0; i + 6 <= payload.Length; i += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)) == id)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
            }
        }
        return null;
    }

    private static async Task<(int LastStream, uint Code)> GoAwayAsync(RawHttp2 http2)
    {
        while (await http2.ReadFrameAsync() is { } frame)
        {
            if (frame.Type == Http2Frame.GoAway)
            {
                return (BinaryPrimitives.ReadInt32BigEndian(frame.Payload), BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(4)));
            }
        }
        throw new InvalidOperationException("the connection closed without GOAWAY");
    }
}
