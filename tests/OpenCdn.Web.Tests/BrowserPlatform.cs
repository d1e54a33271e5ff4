using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// What a shared browser-test platform is made of: the real control plane and ingest worker (with the settings a
/// subclass gives), Chromium, and one ready title from a synthetic master of the size and length the subclass asks for.
/// </summary>
public abstract class BrowserPlatform : IAsyncLifetime
{
    private readonly string _titleName;
    private readonly (int Width, int Height, double Seconds) _master;
    private readonly TimeSpan _transcode;

    protected BrowserPlatform(IReadOnlyDictionary<string, string> settings, string titleName, (int Width, int Height, double Seconds) master,
        TimeSpan transcode)
    {
        Platform = PlatformProcesses.With(settings);
        _titleName = titleName;
        _master = master;
        _transcode = transcode;
    }

    public PlatformProcesses Platform { get; }

    public Browser Browser { get; private set; } = null!;

    public string TitleId { get; private set; } = null!;

    public TempFolder Masters { get; } = new();

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        var master = await Ffmpeg.GenerateMasterAsync(Masters.Combine("title.mp4"), _master.Width, _master.Height, "25", _master.Seconds,
            audioChannels: 2);
        using var admin = await Platform.AdminAsync();
        TitleId = await admin.UploadAsync(_titleName, master);
        var title = await admin.WaitForOutcomeAsync(TitleId, _transcode);
        Assert.Equal("ready", title.Status());
    }

    public Task<PageSession> OpenAsync(string testName) => Browser.OpenAsync(Platform.BaseUrl, testName);

    /// <summary>
    /// Starts a playback session as the viewer (POST /api/v1/playback/{title}) once steering knows the title (a sync pass
    /// after it became ready); returns its answer.
    /// </summary>
    public async Task<JsonElement> PlaybackAsync()
    {
        using var viewer = await Platform.ViewerAsync();
        return await Eventually.ValueAsync(async () =>
        {
            using var response = await viewer.PostAsync($"/api/v1/playback/{TitleId}", null);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, body => body.ValueKind == JsonValueKind.Object, $"a playback session for {_titleName}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        await Platform.DisposeAsync();
        Masters.Dispose();
    }
}
