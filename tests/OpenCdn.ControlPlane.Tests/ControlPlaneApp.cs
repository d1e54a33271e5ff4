using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests;

/// <summary>
/// The control plane on embedded defaults, with an admin, a viewer and a clock the test moves: in memory, or on real
/// Kestrel sockets at 127.0.0.1 and [::1] (for tests that need clients' real source addresses).
/// </summary>
public sealed class ControlPlaneApp : WebApplicationFactory<Program>
{
    private const string Password = "secret-password-1";
    private readonly IReadOnlyDictionary<string, string> _settings;

    public ControlPlaneApp()
        : this(new Dictionary<string, string>(), realSockets: false)
    {
    }

    /// <summary>
    /// With configuration on top of the defaults (keys with ':'), on real sockets when asked, and the clock starting at
    /// <paramref name="clockStart"/> (now by default; instances that share a database start theirs at one instant).
    /// </summary>
    public ControlPlaneApp(IReadOnlyDictionary<string, string> settings, bool realSockets, DateTimeOffset? clockStart = null)
    {
        _settings = settings;
        Clock = new FakeTimeProvider(clockStart ?? DateTimeOffset.UtcNow);
        if (realSockets)
        {
            UseKestrel(kestrel =>
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, 0);
                kestrel.Listen(System.Net.IPAddress.IPv6Loopback, 0);
            });
        }
    }

    public TempFolder Data { get; } = new();

    public FakeTimeProvider Clock { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("OpenCdn:DataFolder", Data.Path);
        builder.UseSetting("OpenCdn:Auth:Users:0:Name", "admin");
        builder.UseSetting("OpenCdn:Auth:Users:0:PasswordHash", PasswordHash.Create(Password));
        builder.UseSetting("OpenCdn:Auth:Users:0:Roles:0", "admin");
        builder.UseSetting("OpenCdn:Auth:Users:1:Name", "viewer");
        builder.UseSetting("OpenCdn:Auth:Users:1:PasswordHash", PasswordHash.Create(Password));
        builder.UseSetting("OpenCdn:Auth:Users:1:Roles:0", "viewer");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task<HttpClient> AdminAsync() => SignInAsync("admin");

    public Task<HttpClient> ViewerAsync() => SignInAsync("viewer");

    /// <summary>A bearer token for "admin" or "viewer".</summary>
    public async Task<string> TokenAsync(string user)
    {
        using var response = await CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { username = user, password = Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public HttpClient WithBearer(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Data.Dispose();
    }

    private async Task<HttpClient> SignInAsync(string user) => WithBearer(await TokenAsync(user));
}
