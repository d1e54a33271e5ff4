using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// Two of everything in cloud mode: control-plane instances A and B (each with its own worker and its own data folder)
/// on one PostgreSQL, S3 and SQS, behind a round-robin balancer that two real edge appliances heartbeat through. Only A
/// starts with the fixture; a test starts B when it wants a second instance to join.
/// </summary>
public sealed class CloudFleet : IAsyncLifetime
{
    public CloudServices Cloud { get; } = new();

    public PlatformProcesses A { get; private set; } = null!;

    public PlatformProcesses B { get; private set; } = null!;

    public RoundRobinBalancer Balancer { get; private set; } = null!;

    public Browser Browser { get; private set; } = null!;

    public IReadOnlyList<EdgeProcess> Edges { get; private set; } = [];

    public TempFolder Masters { get; } = new();

    public async Task InitializeAsync()
    {
        await Cloud.InitializeAsync();
        var settings = new Dictionary<string, string>(Cloud.Settings)
        {
            ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
            ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
            ["OpenCdn:Fleet:PlanInterval"] = "00:00:02",
            ["OpenCdn:Fleet:PlanLease"] = "00:00:02",
        };
        A = PlatformProcesses.With(settings);
        B = PlatformProcesses.With(settings);
        await A.InitializeAsync();
        Balancer = await RoundRobinBalancer.StartAsync(A.BaseUrl);
        Browser = await Browser.LaunchAsync();
        using var admin = await A.AdminAsync();
        var edges = new List<EdgeProcess>();
        foreach (var name in new[] { "edge-a", "edge-b" })
        {
            using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
            var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            edges.Add(await EdgeProcess.StartAsync(name, Balancer.Url, token, B.BaseUrl)); // viewers play through B
        }
        Edges = edges;
    }

    /// <summary>Instance B starts and joins the balancer.</summary>
    public async Task StartBAsync()
    {
        await B.InitializeAsync();
        Balancer.Add(B.BaseUrl);
    }

    /// <summary>The fleet view as <paramref name="instance"/> shows it.</summary>
    public static async Task<JsonElement[]> FleetAsync(PlatformProcesses instance)
    {
        using var admin = await instance.AdminAsync();
        return [.. (await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges")).EnumerateArray()];
    }

    /// <summary>Waits until both edges report <paramref name="titleId"/> in their inventory, as <paramref name="instance"/> sees it.</summary>
    public Task WaitForFillAsync(PlatformProcesses instance, string titleId, TimeSpan timeout) =>
        Eventually.ValueAsync(() => FleetAsync(instance), fleet => fleet.Count(e => Holds(e, titleId)) == Edges.Count,
            $"both edges hold {titleId}", timeout, TimeSpan.FromMilliseconds(500), fleet => string.Join("\n", fleet.Select(e => e.GetRawText())));

    /// <summary>The plan version each edge last reported holding, by edge name, as <paramref name="instance"/> sees it.</summary>
    public static async Task<Dictionary<string, int>> HeldPlanVersionsAsync(PlatformProcesses instance) =>
        (await FleetAsync(instance)).Where(e => e.GetProperty("heartbeat").ValueKind == JsonValueKind.Object).ToDictionary(
            e => e.GetProperty("name").GetString()!,
            e => e.GetProperty("heartbeat").GetProperty("fill").GetProperty("planVersion").GetInt32());

    /// <summary>The edge's own identity (what registration gave it), read from its data folder.</summary>
    public static (string EdgeId, string Credential) IdentityOf(EdgeProcess edge)
    {
        using var identity = JsonDocument.Parse(File.ReadAllText(edge.Data.Combine("identity.json")));
        var root = identity.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        return (root["edgeId"], root["credential"]);
    }

    private static bool Holds(JsonElement edge, string titleId) =>
        edge.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
        && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == titleId);

    public async Task DisposeAsync()
    {
        foreach (var edge in Edges)
        {
            await edge.DisposeAsync();
        }
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        if (A is not null)
        {
            await A.DisposeAsync();
        }
        await Cloud.DisposeAsync();
        Masters.Dispose();
    }
}
