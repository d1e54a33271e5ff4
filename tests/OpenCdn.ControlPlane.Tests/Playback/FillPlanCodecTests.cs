using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>
/// A package with an AV1 ladder beside H.264: fill plans list and count every file of package.json, both ladders, so
/// an edge's disk budget is held against what it will really store.
/// </summary>
public sealed class FillPlanCodecTests : IAsyncLifetime
{
    private const int FileBytes = 4096; // each file PlaybackBed seeds
    private readonly PlaybackBed _bed = new();

    [Fact]
    public async Task BothLadders_AreInThePlan_AndCountAgainstTheEdgesDisk()
    {
        var title = await _bed.AddReadyTitleAsync(1,
            ("video_240p.mp4", MediaKind.Video, "avc1.640015"), ("video_240p_av1.mp4", MediaKind.Video, "av01.0.01M.08"),
            ("audio_eng.mp4", MediaKind.Audio, "mp4a.40.2"));
        // Plans leave 10 % of a disk free: 10,000 bytes hold the H.264 ladder and audio (8 KiB), not the AV1 file too.
        var small = await _bed.EnrollAsync(PlaybackBed.Embedded("small", "127.0.94.0/24") with { DiskCapacityBytes = 10_000 });
        var large = await _bed.EnrollAsync(PlaybackBed.Embedded("large", "127.0.95.0/24") with { DiskCapacityBytes = 14_000 });
        await _bed.SyncAsync();

        var files = (await ItemsAsync(large)).Single(i => i.GetProperty("titleId").GetString() == title).GetProperty("files")
            .EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("size").GetInt64())).ToList();

        Assert.Equal([("video_240p.mp4", FileBytes), ("video_240p_av1.mp4", FileBytes), ("audio_eng.mp4", FileBytes)], files);
        Assert.Empty(await ItemsAsync(small));
    }

    private static async Task<List<JsonElement>> ItemsAsync(PlaybackBed.Edge edge)
    {
        await PlaybackBed.BeatAsync(edge, []);
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        return [.. plan.GetProperty("items").EnumerateArray()];
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();
}
