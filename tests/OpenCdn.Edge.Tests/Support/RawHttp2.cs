using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using OpenCdn.Edge.Serving.Http2;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// An HTTP/2 client that writes frames exactly as a test says, malformed ones included, over TLS with ALPN <c>h2</c>:
/// header blocks of raw literals, frames read one by one, and a response read whole (its window given back as it comes,
/// unless the test gives it itself).
/// </summary>
public sealed class RawHttp2 : IDisposable
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;

    private RawHttp2(TcpClient tcp, SslStream tls) => (_tcp, _tls) = (tcp, tls);

    /// <summary>Connects, and unless <paramref name="preface"/> is false sends the preface and SETTINGS (the stream window).</summary>
    public static async Task<RawHttp2> ConnectAsync(Uri server, uint? streamWindow = null, bool preface = true)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1");
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = server.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        });
        var client = new RawHttp2(tcp, tls);
        if (preface)
        {
            await tls.WriteAsync(Preface);
            var settings = new byte[streamWindow is null ? 0 : 6];
            if (streamWindow is { } window)
            {
                BinaryPrimitives.WriteUInt16BigEndian(settings, 4);
                BinaryPrimitives.WriteUInt32BigEndian(settings.AsSpan(2), window);
            }
            await client.SendAsync(Http2Frame.Settings, 0, 0, settings);
        }
        return client;
    }

    public Task SendRawAsync(byte[] bytes) => _tls.WriteAsync(bytes).AsTask();

    public async Task SendAsync(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[Http2Frame.HeaderBytes + payload.Length];
        Http2Frame.WriteHeader(frame, payload.Length, type, flags, stream);
        payload.CopyTo(frame, Http2Frame.HeaderBytes);
        await _tls.WriteAsync(frame);
    }

    /// <summary>
    /// A GET (or <paramref name="method"/>) of <paramref name="path"/> on <paramref name="stream"/>, with
    /// <paramref name="fields"/> after the pseudo-headers.
    /// </summary>
    public Task RequestAsync(int stream, string path, string method = "GET", bool endStream = true, params (string Name, string Value)[] fields) =>
        SendAsync(Http2Frame.Headers, (byte)(Http2Frame.EndHeaders | (endStream ? Http2Frame.EndStream : 0)), stream,
            Block([(":method", method), (":scheme", "https"), (":path", path), (":authority", "127.0.0.1"), .. fields]));

    public Task WindowUpdateAsync(int stream, int increment)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, increment);
        return SendAsync(Http2Frame.WindowUpdate, 0, stream, payload);
    }

    /// <summary>A header block of literals without indexing, raw strings, each name spelled out.</summary>
    public static byte[] Block(params (string Name, string Value)[] fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0);
            Literal(block, name);
            Literal(block, value);
        }
        return [.. block];
    }

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    public async Task<RawFrame?> ReadFrameAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(20));
        var header = new byte[Http2Frame.HeaderBytes];
        try
        {
            await _tls.ReadExactlyAsync(header, timeout.Token);
            var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
            await _tls.ReadExactlyAsync(payload, timeout.Token);
            return new RawFrame(header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue, payload);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until <paramref name="stream"/> ends (END_STREAM or RST_STREAM) or the connection does (GOAWAY, closed).</summary>
    public async Task<Http2Response> ReadResponseAsync(int stream, bool giveWindow = true)
    {
        var (status, headers, body) = (0, new Dictionary<string, string>(), new MemoryStream());
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Type == Http2Frame.GoAway)
            {
                return new Http2Response(status, headers, body.ToArray(), null, BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(4)));
            }
            if (frame.Stream != stream)
            {
                continue;
            }
            if (frame.Type == Http2Frame.RstStream)
            {
                return new Http2Response(status, headers, body.ToArray(), BinaryPrimitives.ReadUInt32BigEndian(frame.Payload), null);
            }
            if (frame.Type == Http2Frame.Headers)
            {
                foreach (var (name, value) in Decode(frame.Payload))
                {
                    if (name == ":status")
                    {
                        status = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        headers[name] = value;
                    }
                }
            }
            else if (frame.Type == Http2Frame.Data)
            {
                body.Write(frame.Payload);
                if (giveWindow && frame.Payload.Length > 0)
                {
                    await WindowUpdateAsync(0, frame.Payload.Length);
                    await WindowUpdateAsync(stream, frame.Payload.Length);
                }
            }
            if ((frame.Flags & Http2Frame.EndStream) != 0 && frame.Type is Http2Frame.Headers or Http2Frame.Data)
            {
                return new Http2Response(status, headers, body.ToArray(), null, null);
            }
        }
        return new Http2Response(status, headers, body.ToArray(), null, null, Closed: true);
    }

    /// <summary>The fields of a block as the edge writes them: indexed static entries and literals without indexing, raw strings.</summary>
    public static List<(string Name, string Value)> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<(string, string)>();
        while (!block.IsEmpty)
        {
            if ((block[0] & 0x80) != 0)
            {
                var (name, value) = HpackStaticTable.Entry(Integer(ref block, 7));
                fields.Add((Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
                continue;
            }
            Assert.Equal(0, block[0] & 0xf0); // the edge sends literals without indexing only
            var index = Integer(ref block, 4);
            var fieldName = index == 0 ? String(ref block) : Encoding.ASCII.GetString(HpackStaticTable.Entry(index).Name);
            fields.Add((fieldName, String(ref block)));
        }
        return fields;
    }

    public void Dispose()
    {
        _tls.Dispose();
        _tcp.Dispose();
    }

    private static void Literal(List<byte> block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        if (bytes.Length < 127)
        {
            block.Add((byte)bytes.Length);
        }
        else
        {
            block.Add(127);
            for (var rest = bytes.Length - 127; ; rest >>= 7)
            {
                block.Add((byte)(rest >= 0x80 ? (rest & 0x7f) | 0x80 : rest));
                if (rest < 0x80)
                {
                    break;
                }
            }
        }
        block.AddRange(bytes);
    }

    private static int Integer(ref ReadOnlySpan<byte> block, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        var value = block[0] & max;
        block = block[1..];
        if (value < max)
        {
            return value;
        }
        for (var shift = 0; ; shift += 7)
        {
            var b = block[0];
            block = block[1..];
            value += (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static string String(ref ReadOnlySpan<byte> block)
    {
        Assert.Equal(0, block[0] & 0x80); // the edge does not Huffman-code
        var length = Integer(ref block, 7);
        var text = Encoding.Latin1.GetString(block[..length]);
        block = block[length..];
        return text;
    }
}

public sealed record RawFrame(byte Type, byte Flags, int Stream, byte[] Payload);

/// <summary>A response read from frames: status, fields, body; or the stream's reset code, or the connection's GOAWAY code.</summary>
public sealed record Http2Response(
    int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, uint? Reset, uint? GoAway, bool Closed = false);
