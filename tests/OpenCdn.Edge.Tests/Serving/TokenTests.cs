using System.Net;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>Every way a token can be wrong is a 403 that says nothing about keys; the right token serves.</summary>
public sealed class TokenTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private const string Path = $"{ServingFixture.Title}/v3/video_720p.mp4";

    public static TheoryData<string, string> Rejected => new()
    {
        { "expired", "expired" },
        { "forged signature", "forged" },
        { "token for another title", "foreign-title" },
        { "unknown key id", "unknown-key" },
        { "key past its NotAfter", "dead-key" },
        { "malformed: two parts", "k1.123" },
        { "malformed: not a number", "k1.soon.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
        { "malformed: garbage", "not-a-token~!" },
        { "a peer token on the viewer route", "peer" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task ContentRoute_RejectsBadToken_With403AndNoKeyDetail(string why, string kind)
    {
        var token = await TokenAsync(kind);

        using var response = await fixture.Edge.Client.GetAsync($"c/{token}/{Path}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{why}: {response.StatusCode}");
        foreach (var secret in new[] { "k1", "k-dead", "expired", "signature", "key" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static TheoryData<string> OtherSpellings => ["leading zero", "plus sign", "year 9999", "eleven digits", "twelve digits"];

    /// <summary>
    /// Tokens whose signature holds but whose expiry is not written the one accepted way, or lies past the key's end:
    /// refused with 403 on the direct path (a plain request) and on Kestrel's full path (a conditional one), never a
    /// closed connection or a 500.
    /// </summary>
    [Theory]
    [MemberData(nameof(OtherSpellings))]
    public async Task ContentRoute_OtherSpellingsAndFarExpiries_Get403_OnBothPaths(string kind)
    {
        var valid = fixture.Token().Split('.');
        var token = kind switch
        {
            "leading zero" => $"{valid[0]}.0{valid[1]}.{valid[2]}",
            "plus sign" => $"{valid[0]}.+{valid[1]}.{valid[2]}",
            "year 9999" => SignedBy(fixture.Key, 253402300799), // the last second DateTimeOffset holds
            "eleven digits" => SignedBy(fixture.Key, 99999999999),
            _ => SignedBy(fixture.Key, 999999999999),
        };
        foreach (var headers in new[] { Array.Empty<string>(), ["If-None-Match: \"another\""] })
        {
            using var http = await RawHttp.ConnectAsync(fixture.Edge.BaseUrl);
            await http.SendAsync(RawHttp.Request("GET", $"/c/{token}/{Path}", headers));

            var response = await http.ReadAsync();

            Assert.True(response.Status == 403, $"{kind} ({string.Join(' ', headers)}): {response.Status}");
        }
    }

    [Fact]
    public async Task ContentRoute_ValidToken_Serves()
    {
        using var response = await fixture.Edge.Client.GetAsync($"c/{fixture.Token()}/{Path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PeerRoute_ViewerTokenOrNone_Returns403_PeerTokenServes()
    {
        var peerPath = $"peer/{Path}";
        using var none = await fixture.Edge.Client.GetAsync(peerPath);
        using var viewer = new HttpRequestMessage(HttpMethod.Get, peerPath) { Headers = { { "Authorization", "Bearer " + fixture.Token() } } };
        using var viewerResponse = await fixture.Edge.Client.SendAsync(viewer);
        using var peer = new HttpRequestMessage(HttpMethod.Get, peerPath)
        {
            Headers = { { "Authorization", "Bearer " + PeerToken.Issue(fixture.Key, ServingFixture.Title, DateTimeOffset.UtcNow.AddMinutes(5)) } },
        };
        using var peerResponse = await fixture.Edge.Client.SendAsync(peer);

        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, peerResponse.StatusCode);
        Assert.Equal(fixture.Video, await peerResponse.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Rejects_AreCountedInMetrics()
    {
        using var rejected = await fixture.Edge.Client.GetAsync(
            $"c/{DeliveryToken.Issue(fixture.Key, ServingFixture.Title, DateTimeOffset.UtcNow.AddHours(-1))}/{Path}");

        var metrics = await fixture.Edge.Client.GetStringAsync("metrics");

        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        Assert.Contains("opencdn_edge_token_rejects_total{route=\"content\",reason=\"Expired\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("opencdn_edge_requests_total{route=\"content\",status=\"403\"}", metrics, StringComparison.Ordinal);
    }

    /// <summary>A token for the fixture's title whose signature is right for <paramref name="expires"/> as written.</summary>
    private static string SignedBy(SigningKey key, long expires)
    {
        var message = System.Text.Encoding.UTF8.GetBytes($"{key.Id}|{expires}|{ServingFixture.Title}");
        return $"{key.Id}.{expires}."
            + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(key.Secret, message));
    }

    private async Task<string> TokenAsync(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case "expired":
                return DeliveryToken.Issue(fixture.Key, ServingFixture.Title, now.AddSeconds(-5));
            case "forged":
                var valid = fixture.Token();
                return valid[..^4] + (valid.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
            case "foreign-title":
                return fixture.Token("title2");
            case "unknown-key":
                return DeliveryToken.Issue(TestContent.Key("k9", now.AddDays(1)), ServingFixture.Title, now.AddHours(1));
            case "dead-key":
                // The key ring holds k-dead, but its NotAfter has passed: a token signed with it no longer counts.
                var dead = TestContent.Key("k-dead", now.AddSeconds(-1));
                await fixture.Edge.SetKeysAsync(fixture.Key, dead);
                return DeliveryToken.Issue(dead, ServingFixture.Title, now.AddHours(1));
            case "peer":
                return PeerToken.Issue(fixture.Key, ServingFixture.Title, now.AddHours(1));
            default:
                return kind;
        }
    }
}
