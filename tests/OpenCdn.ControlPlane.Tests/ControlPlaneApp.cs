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

/// <summary>The control plane in memory on embedded defaults, with an admin, a viewer and a clock the test moves.</summary>
public sealed class ControlPlaneApp : WebApplicationFactory<Program>
{
    private const string Password = "secret-password-1";

    public TempFolder Data { get; } = new();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("OpenCdn:DataFolder", Data.Path);
        builder.UseSetting("OpenCdn:Auth:Users:0:Name", "admin");
        builder.UseSetting("OpenCdn:Auth:Users:0:PasswordHash", PasswordHash.Create(Password));
        builder.UseSetting("OpenCdn:Auth:Users:0:Roles:0", "admin");
        builder.UseSetting("OpenCdn:Auth:Users:1:Name", "viewer");
        builder.UseSetting("OpenCdn:Auth:Users:1:PasswordHash", PasswordHash.Create(Password));
        builder.UseSetting("OpenCdn:Auth:Users:1:Roles:0", "viewer");
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task<HttpClient> AdminAsync() => SignInAsync("admin");

    public Task<HttpClient> ViewerAsync() => SignInAsync("viewer");

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

    private async Task<HttpClient> SignInAsync(string user)
    {
        using var response = await CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { username = user, password = Password });
        response.EnsureSuccessStatusCode();
        return WithBearer((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }
}
