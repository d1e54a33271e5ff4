using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>Fill plans as edges fetch them: versioned, with files, peers before origin, working origin URLs; retire order.</summary>
public sealed class FillPlanApiTests : IAsyncLifetime
{
    private readonly PlaybackBed _bed = new();
    private string _title = "";

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        await _bed.SyncAsync();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task APlannedEdge_IsToldItsPlanVersion_AndThePlansOriginUrlsServeTheVerifiedFiles()
    {
        var edge = await _bed.EnrollAsync(PlaybackBed.Embedded("filler", "127.0.90.0/24"));
        await _bed.SyncAsync();

        var announced = (await PlaybackBed.BeatAsync(edge, [])).GetProperty("fillPlanVersion").GetInt32();
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        var item = plan.GetProperty("items").EnumerateArray().Single();
        var origin = item.GetProperty("sources").EnumerateArray().Single();

        Assert.True(announced >= 1);
        Assert.Equal(announced, plan.GetProperty("version").GetInt32());
        Assert.Equal(_title, item.GetProperty("titleId").GetString());
        Assert.Equal("origin", origin.GetProperty("kind").GetString(), ignoreCase: true);
        using var download = _bed.App.CreateClient();
        foreach (var file in item.GetProperty("files").EnumerateArray())
        {
            var url = new Uri(origin.GetProperty("fileUrls").GetProperty(file.GetProperty("name").GetString()!).GetString()!);
            var bytes = await download.GetByteArrayAsync(url.PathAndQuery); // the configured origin host is this test's server
            Assert.Equal(file.GetProperty("size").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task APeerOfTheSameIspThatHoldsThePackage_IsListedBeforeOrigin()
    {
        var holder = await _bed.EnrollAsync(PlaybackBed.Embedded("holder", "127.0.91.0/24"));
        var newcomer = await _bed.EnrollAsync(PlaybackBed.Embedded("newcomer", "127.0.92.0/24"));
        await PlaybackBed.BeatAsync(holder, [_title]);
        await PlaybackBed.BeatAsync(newcomer, []);
        await _bed.SyncAsync();

        var plan = await newcomer.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{newcomer.Id}/fill-plan");
        var sources = plan.GetProperty("items")[0].GetProperty("sources").EnumerateArray().ToList();

        Assert.Equal(["peer", "origin"], sources.Select(s => s.GetProperty("kind").GetString()!.ToLowerInvariant()));
        Assert.Equal("http://holder.edges.test:8080/", sources[0].GetProperty("baseUrl").GetString());
    }

    [Fact]
    public async Task ARetiredTitle_LeavesEveryPlan_ThenOriginOnceNoEdgeReportsHoldingIt()
    {
        var edge = await _bed.EnrollAsync(PlaybackBed.Embedded("keeper", "127.0.93.0/24"));
        await _bed.SyncAsync();
        var before = (await PlaybackBed.BeatAsync(edge, [_title])).GetProperty("fillPlanVersion").GetInt32();
        var origin = _bed.App.Services.GetRequiredService<IObjectStore>();
        using var admin = await _bed.App.AdminAsync();

        using var retire = await admin.DeleteAsync($"/api/v1/titles/{_title}");
        await _bed.SyncAsync();
        var after = (await PlaybackBed.BeatAsync(edge, [_title])).GetProperty("fillPlanVersion").GetInt32();
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        await _bed.SyncAsync();
        var whileHeld = await CountAsync(origin);
        await PlaybackBed.BeatAsync(edge, []); // the edge took its new plan and no longer holds the title
        await _bed.SyncAsync();
        var afterEviction = await CountAsync(origin);

        Assert.Equal(HttpStatusCode.NoContent, retire.StatusCode);
        Assert.True(after > before);
        Assert.Empty(plan.GetProperty("items").EnumerateArray());
        Assert.True(whileHeld > 0);
        Assert.Equal(0, afterEviction);
    }

    private async Task<int> CountAsync(IObjectStore origin)
    {
        var count = 0;
        await foreach (var _ in origin.ListAsync($"titles/{_title}/", CancellationToken.None))
        {
            count++;
        }
        return count;
    }
}
