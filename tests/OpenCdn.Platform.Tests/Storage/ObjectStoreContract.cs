using System.Security.Cryptography;
using System.Text;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;

namespace OpenCdn.Platform.Tests.Storage;

/// <summary>
/// What every origin store must do, run unchanged against each implementation. Every test reads the stored bytes
/// back and compares them, so a store that answers 200 but keeps something else (aws-chunked framing) fails.
/// </summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    /// <summary>Fetches a download URL the way an edge would: no credentials, just the URL.</summary>
    protected abstract Task<HttpResponseMessage> DownloadAsync(Uri url);

    /// <summary>Objects this many bytes or larger take the store's multipart path.</summary>
    protected abstract int LargeObjectSize { get; }

    private readonly string _prefix = $"t{Guid.NewGuid():N}/";

    private string Key(string name) => _prefix + name;

    [Fact]
    public async Task Put_ThenGet_ReturnsExactBytes()
    {
        var body = RandomBytes(100_000, seed: 1);
        var stored = await Store.PutAsync(Key("a.bin"), new MemoryStream(body), default);

        Assert.Equal(body.Length, stored.Size);
        Assert.Equal(Sha256(body), stored.Sha256);
        Assert.Equal(body, await ReadAllAsync(Key("a.bin"), null));
    }

    [Fact]
    public async Task Put_LargerThanOnePart_StreamsAndStoresExactBytes()
    {
        var body = RandomBytes(LargeObjectSize * 2 + 12_345, seed: 2);
        // A non-seekable stream, as an upload body is: the store must not rely on Length or Seek.
        var stored = await Store.PutAsync(Key("big.bin"), new BodyStream(body), default);

        Assert.Equal(body.Length, stored.Size);
        Assert.Equal(Sha256(body), stored.Sha256);
        Assert.Equal(Sha256(body), Sha256(await ReadAllAsync(Key("big.bin"), null)));
    }

    [Fact]
    public async Task Put_EmptyBody_StoresEmptyObject()
    {
        var stored = await Store.PutAsync(Key("empty"), new MemoryStream(), default);

        Assert.Equal(0, stored.Size);
        Assert.Equal(0, (await Store.HeadAsync(Key("empty"), default))!.Size);
    }

    [Fact]
    public async Task Put_ExistingKey_ReplacesContentAndETag()
    {
        await Store.PutAsync(Key("r"), new MemoryStream(Encoding.UTF8.GetBytes("first version")), default);
        var before = await Store.HeadAsync(Key("r"), default);
        await Store.PutAsync(Key("r"), new MemoryStream(Encoding.UTF8.GetBytes("second, longer version")), default);
        var after = await Store.HeadAsync(Key("r"), default);

        Assert.Equal("second, longer version", Encoding.UTF8.GetString(await ReadAllAsync(Key("r"), null)));
        Assert.NotEqual(before!.ETag, after!.ETag);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(10L, 19L)]
    [InlineData(999L, 999L)]
    [InlineData(500L, null)]
    public async Task Get_Range_ReturnsExactlyThoseBytes(long from, long? to)
    {
        var body = RandomBytes(1000, seed: 3);
        await Store.PutAsync(Key("range"), new MemoryStream(body), default);

        var part = await ReadAllAsync(Key("range"), new ByteRange(from, to));

        Assert.Equal(body[(int)from..((int)(to ?? 999) + 1)], part);
    }

    [Fact]
    public async Task Get_RangePastTheEnd_IsClampedToTheObject()
    {
        var body = RandomBytes(100, seed: 4);
        await Store.PutAsync(Key("clamp"), new MemoryStream(body), default);

        await using var content = await Store.GetAsync(Key("clamp"), new ByteRange(90, 5000), default);

        Assert.Equal(new ByteRange(90, 99), content!.Range);
        Assert.Equal(100, content.Info.Size);
    }

    [Fact]
    public async Task Get_RangeStartingPastTheEnd_Throws()
    {
        await Store.PutAsync(Key("short"), new MemoryStream(new byte[10]), default);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetAsync(Key("short"), new ByteRange(10, 20), default));
    }

    [Fact]
    public async Task GetAndHead_MissingKey_ReturnNull()
    {
        Assert.Null(await Store.GetAsync(Key("nothing"), null, default));
        Assert.Null(await Store.HeadAsync(Key("nothing"), default));
    }

    [Fact]
    public async Task Head_ReportsSizeAndETag()
    {
        await Store.PutAsync(Key("h"), new MemoryStream(new byte[4321]), default);

        var info = await Store.HeadAsync(Key("h"), default);

        Assert.Equal(4321, info!.Size);
        Assert.False(string.IsNullOrEmpty(info.ETag));
    }

    [Fact]
    public async Task List_ReturnsKeysUnderPrefixInOrder()
    {
        foreach (var name in new[] { "titles/b/2.mp4", "titles/a/1.mp4", "titles/ab/3.mp4", "masters/a/m.mov" })
        {
            await Store.PutAsync(Key(name), new MemoryStream([1, 2, 3]), default);
        }

        var underA = await ListAsync(Key("titles/a/"));
        var startingWithA = await ListAsync(Key("titles/a"));
        var all = await ListAsync(_prefix);

        Assert.Equal([Key("titles/a/1.mp4")], underA);
        Assert.Equal([Key("titles/a/1.mp4"), Key("titles/ab/3.mp4")], startingWithA);
        Assert.Equal(4, all.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Empty(await ListAsync(Key("nothing-here/")));
    }

    [Fact]
    public async Task Delete_RemovesObject_AndMissingKeyIsNoError()
    {
        await Store.PutAsync(Key("d"), new MemoryStream([1]), default);

        await Store.DeleteAsync(Key("d"), default);
        await Store.DeleteAsync(Key("d"), default);

        Assert.Null(await Store.HeadAsync(Key("d"), default));
    }

    [Fact]
    public async Task DownloadUrl_LetsAnUncredentialedClientFetchTheObjectByRange()
    {
        var body = RandomBytes(5000, seed: 5);
        await Store.PutAsync(Key("titles/x/v1/video_240p.mp4"), new MemoryStream(body), default);

        var url = Store.GetDownloadUrl(Key("titles/x/v1/video_240p.mp4"), TimeSpan.FromMinutes(5));
        using var whole = await DownloadAsync(url);

        Assert.True(whole.IsSuccessStatusCode, $"GET {url} → {(int)whole.StatusCode}");
        Assert.Equal(body, await whole.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("trailing/")]
    [InlineData("")]
    public async Task BadKey_IsRejectedByEveryOperation(string key)
    {
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1]), default));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.GetAsync(key, null, default));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.HeadAsync(key, default));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.DeleteAsync(key, default));
        Assert.Throws<InvalidObjectKeyException>(() => Store.GetDownloadUrl(key, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task OverlongKey_IsRejected()
    {
        var key = new string('k', ObjectKey.MaxLength + 1);

        var error = await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1]), default));
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    protected static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReadAllAsync(string key, ByteRange? range)
    {
        await using var content = await Store.GetAsync(key, range, default);
        Assert.NotNull(content);
        using var copy = new MemoryStream();
        await content.Body.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync(prefix, default))
        {
            keys.Add(info.Key);
        }
        return keys;
    }
}
