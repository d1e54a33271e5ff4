using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Edges;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>One edge's bad input or bad stored state never stops steering for the others.</summary>
public sealed class FleetIsolationTests
{
    private const string GoodClient = "127.0.80.9";

    [Fact]
    public async Task Heartbeat_WithANullTitleId_Returns400NamingTheItem_AndTheFleetKeepsSteering()
    {
        await using var bed = new PlaybackBed();
        var title = await bed.AddReadyTitleAsync();
        var good = await bed.EnrollAsync(PlaybackBed.Embedded("good", "127.0.80.0/24"));
        var rogue = await bed.EnrollAsync(PlaybackBed.Embedded("rogue", "127.0.81.0/24"));
        await PlaybackBed.BeatAsync(good, [title]);

        using var response = await PostHeartbeatAsync(rogue, $$$"""
            {"health":"healthy","activeConnections":1,"egressBitsPerSecond":1,"freeDiskBytes":1,
             "inventory":[{"titleId":"{{{title}}}","version":1},{"titleId":null,"version":1}],
             "fill":{"planVersion":0,"inWindow":false,"filesDone":0,"filesTotal":0,"bytesDone":0,"bytesTotal":0}}
            """);
        await bed.SyncAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("inventory[1].titleId", out _), errors.ToString());
        Assert.Equal([good.Id, "origin"], await PlayFromAsync(bed, GoodClient, title));
    }

    [Fact]
    public async Task Start_WithBadEdgeRowsInTheCatalog_SteersTheGoodEdges_AndShowsTheBadOnesProblems()
    {
        using var data = new TempFolder();
        var settings = new Dictionary<string, string> { ["OpenCdn:DataFolder"] = data.Path };
        string title;
        PlaybackBed.Edge good, badBeat, badRegistration, unreadable;
        await using (var before = new PlaybackBed(settings))
        {
            title = await before.AddReadyTitleAsync();
            good = await before.EnrollAsync(PlaybackBed.Embedded("good", "127.0.80.0/24"));
            badBeat = await before.EnrollAsync(PlaybackBed.Embedded("bad-beat", "127.0.81.0/24"));
            badRegistration = await before.EnrollAsync(PlaybackBed.Embedded("bad-registration", "127.0.82.0/24"));
            unreadable = await before.EnrollAsync(PlaybackBed.Embedded("unreadable", "127.0.83.0/24"));
            // Rows as an older version, another instance or a hand edit could have left them: past every API check.
            var store = before.App.Services.GetRequiredService<EdgeStore>();
            await store.RecordHeartbeatAsync(badBeat.Id, new EdgeHeartbeat(EdgeHealth.Healthy, -5, -1, 1, [new InventoryItem(null!, 1)],
                new FillProgress(0, false, 0, 0, 0, 0)), CancellationToken.None);
            await ExecuteAsync(before, "UPDATE edges SET registration = '{\"name\":null}' WHERE id = @id", badRegistration.Id);
            await ExecuteAsync(before, "UPDATE edges SET heartbeat = '{\"inventory\":65}', last_heartbeat = 1 WHERE id = @id", unreadable.Id);
        }

        await using var after = new PlaybackBed(settings);
        await PlaybackBed.BeatAsync(after.Rejoin(good), [title]);
        await after.SyncAsync();
        var servers = await PlayFromAsync(after, GoodClient, title);
        using var admin = await after.App.AdminAsync();
        var fleet = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/edges"))!.ToDictionary(e => e.GetProperty("id").GetString()!);
        using var scraper = after.App.CreateClient();
        var metrics = await scraper.GetStringAsync("/metrics");

        Assert.Equal([good.Id, "origin"], servers);
        Assert.Equal(JsonValueKind.Null, fleet[good.Id].GetProperty("problem").ValueKind);
        Assert.Contains("inventory[0].titleId", fleet[badBeat.Id].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Contains("clientPrefixes", fleet[badRegistration.Id].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Contains("stored heartbeat cannot be read", fleet[unreadable.Id].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Contains("opencdn_fleet_edges_left_out", metrics, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostHeartbeatAsync(PlaybackBed.Edge edge, string json) =>
        await edge.Client.PostAsync($"/api/v1/edges/{edge.Id}/heartbeat", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string[]> PlayFromAsync(PlaybackBed bed, string source, string title)
    {
        using var viewer = await bed.ViewerFromAsync(source);
        var (status, body) = await PlaybackBed.PlayAsync(viewer, title);
        Assert.Equal(HttpStatusCode.OK, status);
        return PlaybackBed.ServerIds(body);
    }

    private static async Task ExecuteAsync(PlaybackBed bed, string sql, string id)
    {
        await using var connection = await bed.App.Services.GetRequiredService<CatalogDatabase>().OpenAsync(CancellationToken.None);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
