using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.RateLimits;

/// <summary>The default limits, per client address (real sockets from chosen 127.x addresses) and per user name.</summary>
public sealed class RateLimitTests : IDisposable
{
    private const string Password = "secret-password-1"; // ControlPlaneApp's users
    private readonly ControlPlaneApp _app = new(new Dictionary<string, string>(), realSockets: true);
    private readonly Uri _baseUrl;

    public RateLimitTests()
    {
        _app.StartServer();
        _baseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.Contains("127.0.0.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_21stWrongPasswordFromOneAddress_Returns429_WhileAnotherAddressSignsIn()
    {
        using var guesser = SourceAddress.Client("127.0.0.21", _baseUrl);
        for (var i = 0; i < 20; i++)
        {
            // A different user name each time: the address's limit is the subject, not the user's.
            using var wrong = await SignInAsync(guesser, $"guess-{i}", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await SignInAsync(guesser, "admin", Password);
        using var other = SourceAddress.Client("127.0.0.22", _baseUrl);
        using var signedIn = await SignInAsync(other, "admin", Password);

        AssertTooManyRequests(refused);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task SignIn_UserNameGuessedFromManyAddresses_IsLockedOut_OtherUsersAreNot()
    {
        for (var i = 0; i < 10; i++)
        {
            using var guesser = SourceAddress.Client($"127.0.1.{i + 1}", _baseUrl);
            using var wrong = await SignInAsync(guesser, "viewer", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var client = SourceAddress.Client("127.0.1.100", _baseUrl);
        using var lockedOut = await SignInAsync(client, "viewer", Password);
        using var admin = await SignInAsync(client, "admin", Password);

        AssertTooManyRequests(lockedOut);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task SuccessfulSignIns_AreNotLimited()
    {
        using var client = SourceAddress.Client("127.0.0.23", _baseUrl);
        for (var i = 0; i < 30; i++)
        {
            using var response = await SignInAsync(client, "viewer", Password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task EdgeRegistration_11thAttemptFromOneAddress_Returns429()
    {
        using var edge = SourceAddress.Client("127.0.0.24", _baseUrl);
        for (var i = 0; i < 10; i++)
        {
            using var attempt = await RegisterAsync(edge);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, attempt.StatusCode);
        }

        using var refused = await RegisterAsync(edge);
        using var other = SourceAddress.Client("127.0.0.25", _baseUrl);
        using var elsewhere = await RegisterAsync(other);

        AssertTooManyRequests(refused);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, elsewhere.StatusCode);
    }

    [Fact]
    public async Task PlaybackStart_121stSessionFromOneAddress_Returns429()
    {
        var token = await _app.TokenAsync("viewer");
        using var viewer = SourceAddress.Client("127.0.0.26", _baseUrl);
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 120; i++)
        {
            using var attempt = await viewer.PostAsync("/api/v1/playback/no-such-title", null);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, attempt.StatusCode);
        }

        using var refused = await viewer.PostAsync("/api/v1/playback/no-such-title", null);

        AssertTooManyRequests(refused);
    }

    [Fact]
    public async Task ForwardedAddress_CountsOnlyFromATrustedProxy()
    {
        using var app = new ControlPlaneApp(
            new Dictionary<string, string> { ["OpenCdn:Playback:TrustedProxies:0"] = "127.0.0.30" }, realSockets: true);
        app.StartServer();
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.Contains("127.0.0.1", StringComparison.Ordinal)));
        using var proxy = SourceAddress.Client("127.0.0.30", baseUrl);
        using var stranger = SourceAddress.Client("127.0.0.31", baseUrl);
        for (var i = 0; i < 20; i++)
        {
            (await SignInAsync(proxy, $"guess-{i}", "wrong", forwardedFor: "198.51.100.7")).Dispose();
            (await SignInAsync(stranger, $"guess-{i}", "wrong", forwardedFor: $"198.51.100.{i + 100}")).Dispose();
        }

        using var sameClientViaProxy = await SignInAsync(proxy, "admin", Password, forwardedFor: "198.51.100.7");
        using var otherClientViaProxy = await SignInAsync(proxy, "admin", Password, forwardedFor: "198.51.100.8");
        using var strangerClaimingAnother = await SignInAsync(stranger, "admin", Password, forwardedFor: "198.51.100.9");

        AssertTooManyRequests(sameClientViaProxy);
        Assert.Equal(HttpStatusCode.OK, otherClientViaProxy.StatusCode);
        AssertTooManyRequests(strangerClaimingAnother); // its header is not believed: counted as 127.0.0.31
    }

    public void Dispose() => _app.Dispose();

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = JsonContent.Create(new { username = user, password }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/edges/register") { Content = JsonContent.Create(new { name = "edge" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ocb_made_up");
        return client.SendAsync(request);
    }

    private static void AssertTooManyRequests(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }
}
