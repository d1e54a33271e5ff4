using System.Text;
using OpenCdn.Edge.Serving.Http2;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// HPACK decoding as RFC 7541 specifies it, checked against blocks from an independent encoder (RFC 7541 Appendix C.4,
/// and a browser's request with Huffman-coded strings and the dynamic table), and every way a block can break the format:
/// each is a compression error, never a wrong field or an exception.
/// </summary>
public sealed class HpackDecoderTests
{
    [Fact]
    public void Rfc7541RequestExamples_WithHuffman_DecodeInTurn_SharingTheDynamicTable()
    {
        var decoder = new HpackDecoder();

        Assert.Equal("GET / HTTP/1.1\r\nhost: www.example.com\r\n\r\n", Decode(decoder, "828684418cf1e3c2e5f23a6ba0ab90f4ff"));
        Assert.Equal("GET / HTTP/1.1\r\nhost: www.example.com\r\ncache-control: no-cache\r\n\r\n", Decode(decoder, "828684be5886a8eb10649cbf"));
        Assert.Equal(
            "GET /index.html HTTP/1.1\r\nhost: www.example.com\r\ncustom-key: custom-value\r\n\r\n",
            Decode(decoder, "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"));
    }

    [Fact]
    public void BrowserRequests_SecondFromTheDynamicTable_DecodeToTheSameFields()
    {
        var decoder = new HpackDecoder();
        const string Path = "/c/k1.4102444800.sig-_A~x/t1/v3/video_720p.mp4";
        const string Agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

        var first = Decode(decoder,
            "828744a2608c750aed040269a69e001741a65a287ffbe584858eecb1dcd214f13a2056bd35b5418d2c931572f91d35d05b8f34d33f72898fd24a"
            + "8800b040267f40853d8698d57f909d29ad171862ba07e8b62e5f23a6ba0b7aced07f66a281b0dae053fafc087ed4ce6aadf2a7979c89c6bfb52"
            + "1aeba0bc8b1e632586d975765c53facd8f7e8cff4a506ea5531149d4ffda97a7b0f49580880b81702e05370e51d8661b65d5d973f5383f963e7");
        var second = Decode(decoder, "8287c3c2728b8fd24a88020134b080d3bfc1c0bf");

        Assert.Equal(
            $"GET {Path} HTTP/1.1\r\nhost: edge.example:8443\r\nrange: bytes=0-1023\r\norigin: https://player.example\r\n"
            + $"user-agent: {Agent}\r\naccept: */*\r\n\r\n", first);
        Assert.Equal(first.Replace("bytes=0-1023", "bytes=1024-2047", StringComparison.Ordinal), second);
    }

    public static TheoryData<string, string> BrokenBlocks => new()
    {
        { "index 0", "80" },
        { "an index past both tables", "ff7f" },
        { "an integer that does not end", "ffffffffff" },
        { "a table size past the 4,096 announced", "3fe21f" },
        { "a table size after a field", "82 3f00".Replace(" ", "", StringComparison.Ordinal) },
        { "a string longer than the block", "0085616263" },
        { "Huffman padding of zeros", "0081000181 00".Replace(" ", "", StringComparison.Ordinal) },
        { "Huffman padding of 11 bits", "000161 0182 1fff".Replace(" ", "", StringComparison.Ordinal) },
        { "EOS inside a string", "000161 0184 ffffffff".Replace(" ", "", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(BrokenBlocks))]
    public void BrokenBlock_IsACompressionError(string why, string hex)
    {
        var head = new Http2RequestHead();
        head.Reset();

        Assert.False(new HpackDecoder().Decode(Convert.FromHexString(hex), head), why);
        head.Release();
    }

    [Fact]
    public void DynamicTable_DropsItsOldestEntries_PastItsSize()
    {
        var decoder = new HpackDecoder();
        var value = new string('v', 2000);
        var block = new List<byte>();
        for (var i = 0; i < 3; i++) // three entries of 2,038 bytes: only the last two fit in 4,096
        {
            block.AddRange([0x40, 0x04, .. Encoding.ASCII.GetBytes($"x-{i}a"), 0x7f, 0xd1, 0x0e, .. Encoding.ASCII.GetBytes(value)]);
        }
        var head = new Http2RequestHead();
        head.Reset();
        Assert.True(decoder.Decode([.. block], head));

        head.Reset();
        Assert.True(decoder.Decode([0xbf], head)); // index 63: the second entry (index 62 is the newest)
        Assert.False(decoder.Decode([0xc0], head)); // index 64: the first, dropped
        head.Release();
    }

    public static TheoryData<string, (string, string)[]> Malformed => new()
    {
        { "an uppercase name", [("Range", "bytes=0-9")] },
        { "connection", [("connection", "close")] },
        { "transfer-encoding", [("transfer-encoding", "chunked")] },
        { "te: gzip", [("te", "gzip")] },
        { "a tab at the start of a value", [("range", "\tbytes=0-9")] },
        { "NUL in a value", [("range", "bytes=0\0-9")] },
        { "a pseudo-header after a field", [("range", "bytes=0-9"), (":method", "GET")] },
        { "two paths", [(":path", "/b")] },
        { "a path that is not absolute", [(":path", "c/x")] },
        { "a path with a space", [(":path", "/c x")] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedRequest_HasNoHead(string why, (string, string)[] fields)
    {
        var head = new Http2RequestHead();
        head.Reset();
        var pseudo = fields.Any(f => f.Item1 == ":path" && f.Item2 != "/b") ? [] : new[] { (":path", "/a") };
        foreach (var (name, value) in new[] { (":method", "GET"), (":scheme", "https") }.Concat(pseudo).Concat(fields))
        {
            head.Add(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value));
        }

        Assert.Equal(-1, head.Write(new byte[Http2RequestHead.MaxBytes + 64], forKestrel: false));
        Assert.NotNull(why);
        head.Release();
    }

    [Fact]
    public void RequestForKestrel_SaysHttp10_AndLeavesContentLengthOut()
    {
        var head = new Http2RequestHead();
        head.Reset();
        var fields = new[]
        {
            (":method", "POST"), (":scheme", "https"), (":path", "/x?y=1"), (":authority", "edge:8443"), ("host", "other"),
            ("content-length", "5"),
        };
        foreach (var (name, value) in fields)
        {
            head.Add(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value));
        }
        var into = new byte[Http2RequestHead.MaxBytes + 64];

        Assert.Equal("POST /x?y=1 HTTP/1.0\r\nhost: edge:8443\r\n\r\n", Encoding.ASCII.GetString(into, 0, head.Write(into, forKestrel: true)));
        head.Release();
    }

    private static string Decode(HpackDecoder decoder, string hex)
    {
        var head = new Http2RequestHead();
        head.Reset();
        Assert.True(decoder.Decode(Convert.FromHexString(hex), head));
        var into = new byte[Http2RequestHead.MaxBytes + 64];
        var length = head.Write(into, forKestrel: false);
        head.Release();
        return Encoding.ASCII.GetString(into, 0, length);
    }
}
