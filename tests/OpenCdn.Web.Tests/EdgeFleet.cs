using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// The whole platform with two real edge appliances (fill window open all day, heartbeats every second, both serving
/// 127.0.0.0/8, over HTTPS as in production, so Chromium plays over HTTP/2), enrolled with bootstrap tokens from the
/// control plane's API. Titles come from the tests themselves.
/// </summary>
public sealed class EdgeFleet : IAsyncLifetime
{
    public PlatformProcesses Platform { get; } = PlatformProcesses.With(new Dictionary<string, string>
    {
        // The edges heartbeat every second: three silent seconds and steering counts an edge down.
        ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
        ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
        ["OpenCdn:Fleet:PlanInterval"] = "00:00:02",
    });

    public Browser Browser { get; private set; } = null!;

    public IReadOnlyList<EdgeProcess> Edges { get; private set; } = [];

    public TempFolder Masters { get; } = new();

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        using var admin = await Platform.AdminAsync();
        var edges = new List<EdgeProcess>();
        foreach (var name in new[] { "edge-a", "edge-b" })
        {
            using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
            var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            edges.Add(await EdgeProcess.StartAsync(name, Platform.BaseUrl, token, Platform.BaseUrl, https: true));
        }
        Edges = edges;
    }

    /// <summary>The fleet view: edge id by name, state and inventory.</summary>
    public async Task<JsonElement[]> FleetAsync()
    {
        using var admin = await Platform.AdminAsync();
        return [.. (await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges")).EnumerateArray()];
    }

    public async Task<string> EdgeIdAsync(EdgeProcess edge) =>
        (await FleetAsync()).Single(e => e.GetProperty("name").GetString() == edge.Name).GetProperty("id").GetString()!;

    /// <summary>Waits until every running edge reports <paramref name="titleId"/> in its inventory (filled and verified).</summary>
    public Task WaitForFillAsync(string titleId, TimeSpan timeout) =>
        Eventually.ValueAsync(FleetAsync, fleet => fleet.Count(e => Holds(e, titleId)) == Edges.Count, $"all {Edges.Count} edges hold {titleId}",
            timeout, TimeSpan.FromMilliseconds(500), fleet => string.Join("\n", fleet.Select(e => e.GetRawText())));

    private static bool Holds(JsonElement edge, string titleId) =>
        edge.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
        && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == titleId);

    /// <summary>Bytes an edge says it served to players (its own <c>opencdn_edge_served_bytes_total</c> for content).</summary>
    public static Task<double> ServedContentBytesAsync(EdgeProcess edge) =>
        MetricAsync(edge, line => line.StartsWith("opencdn_edge_served_bytes_total{", StringComparison.Ordinal)
            && line.Contains("route=\"content\"", StringComparison.Ordinal));

    /// <summary>Content responses an edge wrote below Kestrel over TLS (its <c>opencdn_edge_direct_tls_responses_total</c>).</summary>
    public static Task<double> DirectTlsResponsesAsync(EdgeProcess edge) =>
        MetricAsync(edge, line => line.StartsWith("opencdn_edge_direct_tls_responses_total ", StringComparison.Ordinal));

    /// <summary>The sum of the edge's <c>/metrics</c> series whose line <paramref name="matches"/>.</summary>
    private static async Task<double> MetricAsync(EdgeProcess edge, Func<string, bool> matches)
    {
        using var http = edge.Client();
        var metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n').Where(matches)
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<PageSession> OpenAsync(string testName) => Browser.OpenAsync(Platform.BaseUrl, testName);

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
        await Platform.DisposeAsync();
        Masters.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EdgeFleetCollection : ICollectionFixture<EdgeFleet>
{
    public const string Name = "edge fleet";
}
