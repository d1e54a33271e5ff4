using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// A film with English and French audio (stereo and 5.1), an English commentary and English and French subtitles,
/// played in Chromium with dash.js and with Shaka: the audio language is switched in the menu mid-play, then subtitles
/// are turned on and their cue shows (an active cue on the video's text track).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class TrackMenusTests(WebPlatform web)
{
    private const string FilmName = "Film in two languages";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _filmId;

    [Fact]
    public async Task DashJs_SwitchesAudioToFrenchMidPlay_AndShowsEnglishSubtitles()
    {
        await FilmAsync();
        await using var session = await web.OpenAsync(nameof(DashJs_SwitchesAudioToFrenchMidPlay_AndShowsEnglishSubtitles));
        var page = session.Page;
        await page.PlayAsViewerAsync(FilmName);
        await session.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(60));
        // The browser reads English: English audio, no subtitles.
        Assert.Equal("en", await page.EvaluateAsync<string>("() => window.opencdn.session.player.getCurrentTrackFor('audio').lang.slice(0, 2)"));
        Assert.Equal("-1", await page.InputValueAsync("#subtitle-menu"));

        await SwitchAsync(session, "() => window.opencdn.session.player.getCurrentTrackFor('audio').lang");
        // The French 5.1 encode (AAC-LC, 6 channels) decodes and plays in Chromium.
        await page.EvaluateAsync("""
            () => {
              const player = window.opencdn.session.player;
              player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { audio: false } } } });
              player.setRepresentationForTypeById('audio', 'audio_fra_surround', true);
            }
            """);
        await AssertPlaysSurroundAsync(session,
            "() => window.opencdn.session.player.getCurrentRepresentationForType('audio')?.id === 'audio_fra_surround'");

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
    }

    [Fact]
    public async Task Shaka_SwitchesAudioToFrenchMidPlay_AndShowsEnglishSubtitles()
    {
        var id = await FilmAsync();
        await using var session = await web.OpenAsync(nameof(Shaka_SwitchesAudioToFrenchMidPlay_AndShowsEnglishSubtitles));
        var page = session.Page;
        using var viewer = await web.Platform.ViewerAsync();
        // Steering learns of a title (or of its new package version) a moment after the catalog says ready.
        var manifestUrl = await Eventually.ValueAsync(
            async () =>
            {
                using var playback = await viewer.PostAsync($"/api/v1/playback/{id}", null);
                return playback.IsSuccessStatusCode
                    ? (await playback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manifestUrl").GetString()
                    : null;
            },
            url => url is not null, "steering knows the film", TimeSpan.FromSeconds(30));
        await page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(manifestUrl)}");
        await session.WaitForPlaybackAsync(1, TimeSpan.FromSeconds(60));
        Assert.Equal("en", await page.EvaluateAsync<string>("() => window.opencdn.player.getAudioTracks().find((t) => t.active).language"));

        await SwitchAsync(session, "() => window.opencdn.player.getAudioTracks().find((t) => t.active).language");
        await page.EvaluateAsync("""
            () => {
              const player = window.opencdn.player;
              player.configure({ abr: { enabled: false } });
              player.selectAudioTrack(player.getAudioTracks().find((t) => t.language.startsWith('fr') && t.channelsCount === 6));
            }
            """);
        await AssertPlaysSurroundAsync(session, "() => window.opencdn.player.getVariantTracks().find((t) => t.active)?.channelsCount === 6");

        var log = await session.EventLogAsync();
        Assert.Empty(log.Errors());
    }

    [Fact]
    public async Task AdminConsole_AddSubtitles_PublishesANewVersionWithTheFile()
    {
        var id = await FilmAsync();
        using var admin = await web.Platform.AdminAsync();
        var before = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}")).GetProperty("packageVersion").GetInt32();
        var srt = web.Masters.Combine("film.de.srt");
        await File.WriteAllTextAsync(srt, "1\n00:00:00,000 --> 00:00:05,000\nHallo aus der Konsole\n");
        await using var session = await web.OpenAsync(nameof(AdminConsole_AddSubtitles_PublishesANewVersionWithTheFile));
        var page = session.Page;
        await page.SignInAsAdminAsync("/admin/");

        await page.GetByLabel($"Subtitle language for {FilmName}").FillAsync("de");
        await page.GetByLabel($"Subtitle file for {FilmName}").SetInputFilesAsync(srt);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Add subtitles to {FilmName}" }).ClickAsync();

        var row = page.Locator("#titles-table tbody tr", new() { HasText = FilmName });
        await Assertions.Expect(row.GetByRole(AriaRole.Status)).ToContainTextAsync($"now v{before + 1}", new() { Timeout = 30_000 });
        var mpd = await admin.GetStringAsync($"/api/v1/titles/{id}/manifest.mpd");
        Assert.Contains("subtitles_de.vtt", mpd, StringComparison.Ordinal);
    }

    /// <summary>French main audio from the menu (playback goes on), then English subtitles: the cue is on screen.</summary>
    private static async Task SwitchAsync(PageSession session, string currentAudioLanguage)
    {
        var page = session.Page;
        var french = await page.Locator("#audio-menu option[data-lang=fr][data-role=main]").GetAttributeAsync("value");
        await page.SelectOptionAsync("#audio-menu", french!);
        await page.WaitForFunctionAsync($"() => ({currentAudioLanguage})().startsWith('fr')", null, new() { Timeout = 20_000 });
        var switchedAt = await session.CurrentTimeAsync();
        await session.WaitForPlaybackAsync(switchedAt + 3, TimeSpan.FromSeconds(30));

        var english = await page.Locator("#subtitle-menu option[data-lang=en]").GetAttributeAsync("value");
        await page.SelectOptionAsync("#subtitle-menu", english!);
        await page.WaitForFunctionAsync(
            $"() => [...document.getElementById('video').textTracks].some((t) => t.mode !== 'disabled' && "
            + $"[...(t.activeCues ?? [])].some((c) => c.text.includes('{StudioMasters.EnglishCue}')))",
            null, new() { Timeout = 20_000, PollingInterval = 250 });
    }

    /// <summary>The 5.1 representation is the one playing, and audio keeps being decoded while the video plays on.</summary>
    private static async Task AssertPlaysSurroundAsync(PageSession session, string surroundActive)
    {
        var page = session.Page;
        await page.WaitForFunctionAsync(surroundActive, null, new() { Timeout = 20_000, PollingInterval = 250 });
        const string decoded = "() => document.getElementById('video').webkitAudioDecodedByteCount";
        var before = await page.EvaluateAsync<double>(decoded);
        await session.WaitForPlaybackAsync(await session.CurrentTimeAsync() + 3, TimeSpan.FromSeconds(30));
        Assert.True(await page.EvaluateAsync<double>(decoded) > before, "audio is decoded after the switch to 5.1");
    }

    /// <summary>The film, uploaded once for both tests.</summary>
    private async Task<string> FilmAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_filmId is null)
            {
                var master = await StudioMasters.FilmAsync(web.Masters.Path, 24);
                using var admin = await web.Platform.AdminAsync();
                var id = await admin.UploadAsync(FilmName, master);
                Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3))).Status());
                _filmId = id;
            }
            return _filmId;
        }
        finally
        {
            Gate.Release();
        }
    }
}
