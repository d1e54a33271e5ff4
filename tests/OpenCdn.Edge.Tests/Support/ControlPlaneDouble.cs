using System.Collections.Concurrent;
using System.Text.Json;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// A stand-in for the control plane's edge routes (register, heartbeat, fill plan) on real Kestrel, until the real ones
/// exist: checks the bootstrap token and the credential as the real one must, records what edges send.
/// </summary>
public sealed class ControlPlaneDouble : IAsyncDisposable
{
    public const string BootstrapToken = "bootstrap-secret";
    public const string EdgeId = "edge-1";
    public const string Credential = "edge-credential";
    private static readonly JsonSerializerOptions Json = OpenCdn.Contracts.ContractJson.Options;
    private readonly WebApplication _app;

    private ControlPlaneDouble(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<RegisterEdgeRequest> Registrations { get; } = new();

    public ConcurrentQueue<EdgeHeartbeat> Heartbeats { get; } = new();

    public ConcurrentQueue<string> Unauthorized { get; } = new();

    public IReadOnlyList<SigningKey> Keys { get; set; } = [TestContent.Key("cp-1", DateTimeOffset.UtcNow.AddDays(1))];

    public FillPlan Plan { get; set; } = new(0, DateTimeOffset.UtcNow, []);

    public bool Drain { get; set; }

    public static async Task<ControlPlaneDouble> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ControlPlaneDouble? self = null;
        app.MapPost("/api/v1/edges/register", async (HttpContext context) =>
        {
            if (!self!.Authorized(context, BootstrapToken))
            {
                return Results.Unauthorized();
            }
            self.Registrations.Enqueue((await context.Request.ReadFromJsonAsync<RegisterEdgeRequest>(Json))!);
            return Results.Json(new RegisterEdgeResponse(EdgeId, Credential, self.Keys), Json);
        });
        app.MapPost("/api/v1/edges/{id}/heartbeat", async (HttpContext context, string id) =>
        {
            if (id != EdgeId || !self!.Authorized(context, Credential))
            {
                return Results.Unauthorized();
            }
            self.Heartbeats.Enqueue((await context.Request.ReadFromJsonAsync<EdgeHeartbeat>(Json))!);
            return Results.Json(new HeartbeatResponse(self.Plan.Version, self.Keys, self.Drain), Json);
        });
        app.MapGet("/api/v1/edges/{id}/fill-plan", (HttpContext context, string id) =>
            id == EdgeId && self!.Authorized(context, Credential) ? Results.Json(self.Plan, Json) : Results.Unauthorized());
        await app.StartAsync();
        self = new ControlPlaneDouble(app, Loopback.BaseUrl(app));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private bool Authorized(HttpContext context, string expected)
    {
        if (context.Request.Headers.Authorization.ToString() == "Bearer " + expected)
        {
            return true;
        }
        Unauthorized.Enqueue(context.Request.Path);
        return false;
    }
}
