using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>Enrolment with bootstrap tokens, edge credentials, heartbeats and the fleet's view of each edge.</summary>
public sealed class FleetApiTests : IDisposable
{
    private readonly ControlPlaneApp _app = new();

    private static RegisterEdgeRequest Registration(string name = "isp-a-1") => new(
        name, new Uri("http://127.0.0.2:8080"), EdgeSiteKind.Embedded, 64500, "ISP A", 48.85, 2.35, ["203.0.113.0/24", "2001:db8::/32"],
        500L << 30, 10_000_000_000, FillWindow.Default, 50_000_000);

    private static EdgeHeartbeat Beat(EdgeHealth health = EdgeHealth.Healthy) =>
        new(health, 12, 1_000_000, 400L << 30, [new InventoryItem("t1", 1)], new FillProgress(0, false, 0, 0, 0, 0));

    [Fact]
    public async Task Register_WithAFreshBootstrapToken_ReturnsACredentialAndTheSigningKeys()
    {
        var token = await BootstrapTokenAsync(uses: 1);

        var (status, body) = await RegisterAsync(token, Registration());

        Assert.Equal(HttpStatusCode.OK, status);
        var edgeId = body.GetProperty("edgeId").GetString()!;
        Assert.StartsWith(edgeId + ".", body.GetProperty("credential").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(body.GetProperty("signingKeys").EnumerateArray());
    }

    [Fact]
    public async Task Register_WithAUsedExpiredOrUnknownToken_Returns401()
    {
        var once = await BootstrapTokenAsync(uses: 1);
        var expiring = await BootstrapTokenAsync(uses: 5);
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(once, Registration())).Status);

        var used = await RegisterAsync(once, Registration("second"));
        _app.Clock.Advance(TimeSpan.FromHours(2));
        var expired = await RegisterAsync(expiring, Registration("late"));
        var unknown = await RegisterAsync("ocb_made_up", Registration("stranger"));

        Assert.Equal(HttpStatusCode.Unauthorized, used.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
    }

    [Fact]
    public async Task Register_WithBadFields_Returns400NamingThem()
    {
        var token = await BootstrapTokenAsync(uses: 1);

        var (status, body) = await RegisterAsync(token, Registration() with { ClientPrefixes = ["not-a-prefix"], DiskCapacityBytes = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("clientPrefixes[0]", out _));
        Assert.True(errors.TryGetProperty("diskCapacityBytes", out _));
    }

    [Fact]
    public async Task Heartbeat_WithNegativeCounters_Returns400NamingThem_AndIsNotStored()
    {
        var (edgeId, credential) = await EnrollAsync();
        using var edge = _app.WithBearer(credential);
        using var admin = await _app.AdminAsync();

        using var beat = await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat",
            Beat() with { ActiveConnections = -1, EgressBitsPerSecond = -10_000_000_000 }, JsonSerializerOptions.Web);

        Assert.Equal(HttpStatusCode.BadRequest, beat.StatusCode);
        var errors = (await beat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("activeConnections", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("egressBitsPerSecond", out _), errors.ToString());
        Assert.Equal(JsonValueKind.Null, (await EdgeAsync(admin, edgeId)).GetProperty("heartbeat").ValueKind);
    }

    [Fact]
    public async Task Heartbeat_WithAValueOfTheWrongType_Returns400NamingTheField()
    {
        var (edgeId, credential) = await EnrollAsync();
        using var edge = _app.WithBearer(credential);

        using var beat = await edge.PostAsync($"/api/v1/edges/{edgeId}/heartbeat",
            new StringContent("""{"health":"healthy","activeConnections":1,"inventory":65}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, beat.StatusCode);
        var errors = (await beat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("inventory", out _), errors.ToString());
    }

    [Fact]
    public async Task Heartbeat_UpdatesTheFleetView_AndASilentEdgeIsDownAfterThreeIntervals()
    {
        var (edgeId, credential) = await EnrollAsync();
        using var edge = _app.WithBearer(credential);
        using var admin = await _app.AdminAsync();

        using var beat = await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat", Beat(), JsonSerializerOptions.Web);
        var fresh = await EdgeAsync(admin, edgeId);
        _app.Clock.Advance(TimeSpan.FromSeconds(16));
        var silent = await EdgeAsync(admin, edgeId);

        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal("healthy", fresh.GetProperty("state").GetString());
        Assert.Equal("t1", fresh.GetProperty("heartbeat").GetProperty("inventory")[0].GetProperty("titleId").GetString());
        Assert.Equal("down", silent.GetProperty("state").GetString());
    }

    [Fact]
    public async Task FillPlan_IsTheVersionTheHeartbeatAnnounces_AndOnlyForItsOwnEdge()
    {
        var (edgeId, credential) = await EnrollAsync();
        var (otherId, _) = await EnrollAsync();
        using var edge = _app.WithBearer(credential);

        using var beat = await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat", Beat(), JsonSerializerOptions.Web);
        var announced = (await beat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fillPlanVersion").GetInt32();
        var plan = await edge.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edgeId}/fill-plan");
        using var others = await edge.GetAsync($"/api/v1/edges/{otherId}/fill-plan");

        Assert.Equal(announced, plan.GetProperty("version").GetInt32());
        Assert.Empty(plan.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
    }

    [Fact]
    public async Task DrainedEdge_IsToldToDrain()
    {
        var (edgeId, credential) = await EnrollAsync();
        using var admin = await _app.AdminAsync();
        using var edge = _app.WithBearer(credential);

        using var drain = await admin.PostAsync($"/api/v1/edges/{edgeId}/drain", null);
        using var beat = await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat", Beat(), JsonSerializerOptions.Web);

        Assert.Equal(HttpStatusCode.NoContent, drain.StatusCode);
        Assert.True((await beat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drain").GetBoolean());
        Assert.Equal("draining", (await EdgeAsync(admin, edgeId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task UndrainedEdge_IsToldToServeAgain_AndOnlyAnAdminDrainsOrUndrains()
    {
        var (edgeId, credential) = await EnrollAsync();
        using var admin = await _app.AdminAsync();
        using var viewer = await _app.ViewerAsync();
        using var edge = _app.WithBearer(credential);
        using (await admin.PostAsync($"/api/v1/edges/{edgeId}/drain", null))
        using (await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat", Beat(EdgeHealth.Draining), JsonSerializerOptions.Web))
        {
            Assert.True((await EdgeAsync(admin, edgeId)).GetProperty("drained").GetBoolean());
        }

        using var byViewer = await viewer.PostAsync($"/api/v1/edges/{edgeId}/undrain", null);
        using var byEdge = await edge.PostAsync($"/api/v1/edges/{edgeId}/undrain", null);
        using var unknown = await admin.PostAsync("/api/v1/edges/no-such-edge/undrain", null);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound),
            (byViewer.StatusCode, byEdge.StatusCode, unknown.StatusCode));
        Assert.Equal("draining", (await EdgeAsync(admin, edgeId)).GetProperty("state").GetString());

        using var undrain = await admin.PostAsync($"/api/v1/edges/{edgeId}/undrain", null);
        using var toldWhileDraining = await edge.PostAsJsonAsync(
            $"/api/v1/edges/{edgeId}/heartbeat", Beat(EdgeHealth.Draining), JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.NoContent, undrain.StatusCode);
        Assert.False((await toldWhileDraining.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drain").GetBoolean());
        // The edge stops draining when told; its next heartbeat says healthy, and so does the fleet view.
        using var healthy = await edge.PostAsJsonAsync($"/api/v1/edges/{edgeId}/heartbeat", Beat(), JsonSerializerOptions.Web);
        var view = await EdgeAsync(admin, edgeId);
        Assert.Equal(("healthy", false), (view.GetProperty("state").GetString(), view.GetProperty("drained").GetBoolean()));
    }

    [Fact]
    public async Task Credentials_OnlyOpenTheirOwnDoors()
    {
        var (edgeA, credentialA) = await EnrollAsync();
        var (edgeB, _) = await EnrollAsync();
        using var asEdgeA = _app.WithBearer(credentialA);
        using var viewer = await _app.ViewerAsync();

        using var edgeCallsAdmin = await asEdgeA.GetAsync("/api/v1/edges");
        using var edgeCallsCatalog = await asEdgeA.GetAsync("/api/v1/titles");
        using var edgeSpeaksForAnother = await asEdgeA.PostAsJsonAsync($"/api/v1/edges/{edgeB}/heartbeat", Beat(), JsonSerializerOptions.Web);
        using var viewerCallsEdgeRoute = await viewer.PostAsJsonAsync($"/api/v1/edges/{edgeA}/heartbeat", Beat(), JsonSerializerOptions.Web);
        using var viewerMintsTokens = await viewer.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, edgeCallsAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, edgeCallsCatalog.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edgeSpeaksForAnother.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viewerCallsEdgeRoute.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerMintsTokens.StatusCode);
    }

    public void Dispose() => _app.Dispose();

    private async Task<string> BootstrapTokenAsync(int uses)
    {
        using var admin = await _app.AdminAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses, expiresInHours = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> RegisterAsync(string bootstrapToken, RegisterEdgeRequest request)
    {
        using var client = _app.WithBearer(bootstrapToken);
        using var response = await client.PostAsJsonAsync("/api/v1/edges/register", request, JsonSerializerOptions.Web);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task<(string EdgeId, string Credential)> EnrollAsync()
    {
        var (_, body) = await RegisterAsync(await BootstrapTokenAsync(uses: 1), Registration($"edge-{Guid.NewGuid():N}"));
        return (body.GetProperty("edgeId").GetString()!, body.GetProperty("credential").GetString()!);
    }

    private static async Task<JsonElement> EdgeAsync(HttpClient admin, string edgeId) =>
        (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/edges"))!.Single(e => e.GetProperty("id").GetString() == edgeId);
}
