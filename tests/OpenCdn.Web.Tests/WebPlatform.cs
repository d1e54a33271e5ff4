using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// What the browser tests share: the real control plane and ingest worker, Chromium, and one ready title long enough
/// for ABR to show (a 60-second 480p master: 480p, 360p and 240p rungs).
/// </summary>
public sealed class WebPlatform : IAsyncLifetime
{
    public const string TitleName = "Feature film";
    private readonly TempFolder _masters = new();

    public PlatformProcesses Platform { get; } = new();

    public Browser Browser { get; private set; } = null!;

    public string TitleId { get; private set; } = null!;

    public TempFolder Masters => _masters;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("feature.mp4"), 854, 480, "25", 60, audioChannels: 2);
        using var admin = await Platform.AdminAsync();
        TitleId = await admin.UploadAsync(TitleName, master);
        var title = await admin.WaitForOutcomeAsync(TitleId, TimeSpan.FromMinutes(4));
        Assert.Equal("ready", title.Status());
    }

    public Task<PageSession> OpenAsync(string testName) => Browser.OpenAsync(Platform.BaseUrl, testName);

    /// <summary>Starts a playback session as the viewer (POST /api/v1/playback/{title}); returns its answer.</summary>
    public async Task<JsonElement> PlaybackAsync()
    {
        using var viewer = await Platform.ViewerAsync();
        using var response = await viewer.PostAsync($"/api/v1/playback/{TitleId}", null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
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
public sealed class WebCollection : ICollectionFixture<WebPlatform>
{
    public const string Name = "web";
}
