using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// A file on disk shorter than its catalog entry is a data-integrity fault, not a client gone: on the direct path and on
/// Kestrel's, the response ends early (the connection closes: a client cannot take a short body for a whole one) and
/// <c>opencdn_edge_responses_cut_short_total{outcome="FileShort"}</c> counts it, and a warning names the file.
/// </summary>
public sealed partial class CutShortTests
{
    public static TheoryData<string, int, string> Cases => new()
    {
        { "direct", 300_000, "bytes=0-299999" }, // the body by sendfile(2), which meets the end of the file
        { "direct", 50_000, "bytes=0-49999" }, // a small body, read into the send of the head: nothing is sent
        { "Kestrel", 300_000, "bytes=0-299999" }, // AllowedHosts set: every request goes through Kestrel's HTTP layer
        { "direct TLS", 300_000, "bytes=0-299999" }, // over TLS: the second 64 KiB read meets the end of the file
        { "direct TLS", 50_000, "bytes=0-49999" }, // the first read: nothing is sent
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FileTruncatedAfterCataloguing_EndsTheResponseEarly_AndCountsFileShort(string path, int size, string range)
    {
        using var folder = new TempFolder();
        var logs = new LogSink();
        await using var edge = path == "direct TLS"
            ? await TlsEdge.StartAsync(folder, logs: logs)
            : await EdgeHost.StartAsync(folder.Path,
                path == "Kestrel" ? new Dictionary<string, string?> { ["AllowedHosts"] = "edge;127.0.0.1" } : null,
                backgroundServices: false, logs: logs);
        var key = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));
        await edge.SetKeysAsync(key);
        await edge.SeedAsync("t1", 1, "video.mp4", TestContent.Bytes(size));
        Assert.True(edge.Get<ContentCatalog>().TryGetServable(new ContentKey("t1", 1, "video.mp4"), out var file));
        await using (var truncate = new FileStream(file.Path, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(1000); // the same inode the catalog's handle reads
        }

        using var http = await RawHttp.ConnectAsync(path == "direct TLS" ? edge.Tls() : edge.BaseUrl);
        await http.SendAsync(
            RawHttp.Request("GET", $"/c/{DeliveryToken.Issue(key, "t1", DateTimeOffset.UtcNow.AddHours(1))}/t1/v1/video.mp4", $"Range: {range}"));
        var (received, closed) = await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.True(closed, "the connection stayed open after a short body");
        Assert.True(received.Length < size, $"{received.Length} bytes arrived for a {size}-byte range of a 1000-byte file");
        await Eventually.ValueAsync(() => CutShortAsync(edge, "FileShort"), count => count == 1, "one FileShort response was counted");
        Assert.Equal(0, await CutShortAsync(edge, "ClientGone"));
        var warning = Assert.Single(logs.Entries, e => e.EventId == 500 && e.Category.EndsWith(".ServingFaults", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("FileShort serving t1 v1 video.mp4", warning.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, warning.Message, StringComparison.Ordinal);
        Assert.Contains($"on the {path} path", warning.Message, StringComparison.Ordinal);
        var served = Encoding.Latin1.GetString(received);
        Assert.True(served.Length == 0 || served.StartsWith("HTTP/1.1 206 ", StringComparison.Ordinal), served[..Math.Min(served.Length, 200)]);
    }

    /// <summary>The edge's <c>opencdn_edge_responses_cut_short_total</c> for <paramref name="outcome"/>.</summary>
    internal static async Task<int> CutShortAsync(EdgeHost edge, string outcome)
    {
        var metrics = edge.BaseUrl.Scheme == Uri.UriSchemeHttp ? await edge.Client.GetStringAsync("metrics") : await edge.MetricsAsync();
        var match = CutShort().Matches(metrics).Single(m => m.Groups[1].Value == outcome);
        return int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^opencdn_edge_responses_cut_short_total\{outcome=""(\w+)""\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex CutShort();
}
