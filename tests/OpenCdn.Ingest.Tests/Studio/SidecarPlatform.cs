using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>
/// The platform with one real edge appliance (fill window open all day, quick fleet sync) and one ready title: what
/// the sidecar subtitle tests publish new versions of and fetch from the edge.
/// </summary>
public sealed class SidecarPlatform : IAsyncLifetime
{
    private readonly TempFolder _masters = new();

    public PlatformProcesses Platform { get; } = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
        ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
        ["OpenCdn:Fleet:PlanInterval"] = "00:00:02",
    });

    public EdgeProcess Edge { get; private set; } = null!;

    public string TitleId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        using var admin = await Platform.AdminAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 }))
        {
            var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            Edge = await EdgeProcess.StartAsync("edge-subtitles", Platform.BaseUrl, token, Platform.BaseUrl);
        }
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("short.mp4"), 320, 240, "25", 4, audioChannels: 2);
        TitleId = await admin.UploadAsync("Short with sidecar subtitles", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(TitleId, TimeSpan.FromMinutes(3))).Status());
    }

    /// <summary>Waits until the edge reports holding <paramref name="version"/> of the title.</summary>
    public async Task WaitForEdgeAsync(int version, TimeSpan timeout)
    {
        using var admin = await Platform.AdminAsync();
        await Eventually.ValueAsync(() => admin.GetFromJsonAsync<JsonElement>("/api/v1/edges"),
            fleet => fleet.EnumerateArray().Any(e => e.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
                && beat.GetProperty("inventory").EnumerateArray().Any(i =>
                    i.GetProperty("titleId").GetString() == TitleId && i.GetProperty("version").GetInt32() == version)),
            $"the edge holds {TitleId} v{version}", timeout, TimeSpan.FromMilliseconds(500), fleet => fleet.GetRawText());
    }

    public async Task DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        await Platform.DisposeAsync();
        _masters.Dispose();
    }
}
