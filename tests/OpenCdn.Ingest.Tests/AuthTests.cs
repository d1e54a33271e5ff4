using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>Every route but the public ones needs a valid token, and roles are enforced per route.</summary>
public sealed class AuthTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>
{
    [Theory]
    [InlineData("GET", "/api/v1/titles")]
    [InlineData("POST", "/api/v1/titles")]
    [InlineData("GET", "/api/v1/titles/abc")]
    [InlineData("DELETE", "/api/v1/titles/abc")]
    [InlineData("POST", "/api/v1/titles/abc/upload")]
    [InlineData("PATCH", "/api/v1/uploads/abc")]
    public async Task NoToken_Returns401(string method, string path)
    {
        using var response = await platform.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    [InlineData("/")]
    public async Task PublicRoutes_NeedNoToken(string path)
    {
        using var response = await platform.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Viewer_CanListButNotCreateOrUpload()
    {
        using var admin = await platform.AdminAsync();
        var id = await admin.CreateTitleAsync("Admin's title");
        using var viewer = await platform.ViewerAsync();

        using var list = await viewer.GetAsync("/api/v1/titles");
        using var create = await viewer.PostAsJsonAsync("/api/v1/titles", new { name = "Viewer's title" });
        using var upload = await viewer.SendAsync(TusCreate(id));
        using var retire = await viewer.DeleteAsync($"/api/v1/titles/{id}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, retire.StatusCode);
    }

    [Fact]
    public async Task WrongPassword_Returns401ProblemDetails()
    {
        using var response = await platform.Http.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "guess" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ExpiredToken_Returns401()
    {
        var key = await StoredKeys.ReadAsync(platform.Data.Path, "jwt");
        var expired = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "admin"), new Claim("role", "admin")]),
            Issuer = "opencdn",
            Audience = "opencdn",
            NotBefore = DateTime.UtcNow.AddHours(-2),
            IssuedAt = DateTime.UtcNow.AddHours(-2),
            Expires = DateTime.UtcNow.AddHours(-1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });

        using var response = await platform.Authorized(expired).GetAsync("/api/v1/titles");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TamperedToken_Returns401()
    {
        var token = await platform.TokenAsync("viewer", PlatformProcesses.ViewerPassword);
        var parts = token.Split('.');
        // Promote the viewer to admin in the payload, keeping the old signature.
        var payload = System.Text.Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"viewer\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var response = await platform.Authorized(tampered).PostAsJsonAsync("/api/v1/titles", new { name = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage TusCreate(string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/titles/{id}/upload");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", "10");
        return request;
    }
}
