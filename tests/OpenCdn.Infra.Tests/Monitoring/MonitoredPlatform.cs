using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Infra.Tests.Monitoring;

/// <summary>
/// A real control plane with two real edges enrolled (heartbeats every second, three silent seconds = down); one edge
/// is then killed, so the fleet has an edge up and an edge down. Its <c>/metrics</c> pages are what the dashboard and
/// the alert rules are checked against.
/// </summary>
public sealed class MonitoredPlatform : IAsyncLifetime
{
    public PlatformProcesses Platform { get; } = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
        ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
    });

    public EdgeProcess Up { get; private set; } = null!;

    public EdgeProcess Down { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        using var admin = await Platform.AdminAsync();
        Up = await EdgeProcess.StartAsync("edge-up", Platform.BaseUrl, await BootstrapTokenAsync(admin), Platform.BaseUrl);
        Down = await EdgeProcess.StartAsync("edge-down", Platform.BaseUrl, await BootstrapTokenAsync(admin), Platform.BaseUrl);
        await Eventually.TrueAsync(async () => await HeartbeatsAsync(admin) == 2, "both edges heartbeat", TimeSpan.FromSeconds(30));
        await Down.KillAsync();
    }

    public Task<string> ControlPlaneMetricsAsync() => Platform.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async Task<string> EdgeMetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(Up.BaseUrl, "/metrics"));
    }

    public async Task DisposeAsync()
    {
        if (Up is not null)
        {
            await Up.DisposeAsync();
        }
        if (Down is not null)
        {
            await Down.DisposeAsync();
        }
        await Platform.DisposeAsync();
    }

    private static async Task<string> BootstrapTokenAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task<int> HeartbeatsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges")).EnumerateArray()
            .Count(e => e.GetProperty("heartbeat").ValueKind == JsonValueKind.Object);
}
