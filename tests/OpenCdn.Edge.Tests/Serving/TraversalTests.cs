using System.Net.Sockets;
using System.Text;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Requests written byte for byte on a raw socket (an HTTP client would normalise them first) that try to leave the
/// content root for the data folder's secrets (keys.json, catalog.json) or /etc/passwd. None may succeed.
/// </summary>
public sealed class TraversalTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    public static TheoryData<string> Targets => new()
    {
        "/c/{token}/title1/v3/../../../keys.json",
        "/c/{token}/title1/v3/../../../../../../etc/passwd",
        "/c/{token}/%2e%2e/v3/keys.json",
        "/c/{token}/title1/v3/%2e%2e%2f%2e%2e%2f%2e%2e%2fkeys.json",
        "/c/{token}/title1/v3/%2E%2E%2F%2E%2E%2F%2E%2E%2Fkeys.json",
        "/c/{token}/title1/v3/..%2f..%2f..%2fkeys.json",
        "/c/{token}/title1/v3/..%5c..%5c..%5ckeys.json",
        "/c/{token}/title1/v3/..\\..\\..\\keys.json",
        "/c/{token}/title1/v3/%2fetc%2fpasswd",
        "/c/{token}/title1/v3//etc/passwd",
        "/c/{token}/title1/v3/%00keys.json",
        "/c/{token}/title1/v3/.keys.json",
        "/c/{token}/title1/v0003/video_720p.mp4",
        "/c/{token}/title1/v-3/video_720p.mp4",
        "/peer/title1/v3/../../../keys.json",
        "/peer/%2e%2e/v3/catalog.json",
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task PathOutsideContentRoot_IsRejected(string target)
    {
        var (status, response) = await RawGetAsync(target.Replace("{token}", fixture.Token(), StringComparison.Ordinal));

        Assert.True(status is 400 or 403 or 404, $"{target} answered {status}:\n{response}");
        Assert.DoesNotContain("secret", response, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("root:", response, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RawSocket_ValidPath_Serves()
    {
        var (status, _) = await RawGetAsync($"/c/{fixture.Token()}/title1/v3/video_720p.mp4");

        Assert.Equal(200, status);
    }

    private async Task<(int Status, string Response)> RawGetAsync(string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(fixture.Edge.BaseUrl.Host, fixture.Edge.BaseUrl.Port);
        var stream = client.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {fixture.Edge.BaseUrl.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
