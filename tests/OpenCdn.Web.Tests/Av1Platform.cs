using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// A platform whose workers also encode the AV1 ladder (<c>OpenCdn:Ingest:Av1:Enabled</c>), with Chromium and one
/// ready title: a short, small master (12 s of 640x360 at 25 fps: 360p and 240p in H.264 and in AV1), so the AV1
/// encode stays quick.
/// </summary>
public sealed class Av1Platform : IAsyncLifetime
{
    public const string TitleName = "AV1 short";
    private readonly TempFolder _masters = new();

    public PlatformProcesses Platform { get; } = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Ingest:Av1:Enabled"] = "true",
        ["OpenCdn:Ingest:Av1:Preset"] = "12",
    });

    public Browser Browser { get; private set; } = null!;

    public string TitleId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("short.mp4"), 640, 360, "25", 12, audioChannels: 2);
        using var admin = await Platform.AdminAsync();
        TitleId = await admin.UploadAsync(TitleName, master);
        var title = await admin.WaitForOutcomeAsync(TitleId, TimeSpan.FromMinutes(3));
        Assert.Equal("ready", title.Status());
    }

    public Task<PageSession> OpenAsync(string testName) => Browser.OpenAsync(Platform.BaseUrl, testName);

    /// <summary>A playback session as the viewer, once steering knows the title (a sync pass after it became ready).</summary>
    public async Task<JsonElement> PlaybackAsync()
    {
        using var viewer = await Platform.ViewerAsync();
        return await Eventually.ValueAsync(async () =>
        {
            using var response = await viewer.PostAsync($"/api/v1/playback/{TitleId}", null);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, body => body.ValueKind == JsonValueKind.Object, "a playback session for the AV1 title");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        await Platform.DisposeAsync();
        _masters.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class Av1Collection : ICollectionFixture<Av1Platform>
{
    public const string Name = "av1";
}
