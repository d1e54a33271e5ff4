using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>
/// Studio masters with several audio tracks and subtitles, made with ffmpeg and uploaded through the API: every audio
/// track becomes its own AdaptationSet (stereo, plus 5.1 for a 5.1 source), loudness-normalised; text subtitles become
/// WebVTT; bitmap subtitles leave a note and the title still succeeds.
/// </summary>
public sealed class AudioTextCorpusTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>, IDisposable
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task FilmMaster_EveryAudioTrackIsASetWithItsLanguageChannelsAndRole_LoudnessNormalised_SubtitlesAreWebVtt()
    {
        var master = await StudioMasters.FilmAsync(_masters.Path, 6);
        using var admin = await platform.AdminAsync();
        var id = await admin.UploadAsync("Film with tracks", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, Transcode)).Status());
        var package = PackageChecks.Read(platform, id, 1);

        var audio = package.Representations.Where(r => r.Kind == MediaKind.Audio).ToList();
        Assert.Equal(
            ["audio_eng:eng:2:main", "audio_fra:fra:2:main", "audio_fra_surround:fra:6:main", "audio_eng_commentary:eng:2:commentary"],
            audio.Select(r => $"{r.Id}:{r.Language}:{r.Channels}:{r.Role}"));
        foreach (var r in audio)
        {
            var file = PackageChecks.FileOf(platform, package, r);
            PackageChecks.AssertLayout(file, r);
            Assert.Equal("mp4a.40.2", r.Codecs);
            var stream = await Ffmpeg.ProbeAsync("-show_entries", "stream=codec_name,profile,sample_rate,channels", "-of", "csv=p=0", file);
            Assert.Equal($"aac,LC,48000,{r.Channels}", stream.Trim());
            var lufs = await IntegratedLoudnessAsync(file);
            Assert.True(Math.Abs(lufs - -23) <= 1, $"{r.Id}: {lufs} LUFS, not -23 ± 1");
        }

        var text = package.Representations.Where(r => r.Kind == MediaKind.Text).ToList();
        Assert.Equal(["subtitles_eng.vtt:eng", "subtitles_fra.vtt:fra"], text.Select(r => $"{r.File}:{r.Language}"));
        Assert.All(text, r => Assert.Null(r.IndexRange));
        var english = await File.ReadAllTextAsync(PackageChecks.FileOf(platform, package, text[0]));
        Assert.StartsWith("WEBVTT", english, StringComparison.Ordinal);
        Assert.Contains(StudioMasters.EnglishCue, english, StringComparison.Ordinal);
        var french = await File.ReadAllTextAsync(PackageChecks.FileOf(platform, package, text[1]));
        Assert.Contains(StudioMasters.FrenchCue, french, StringComparison.Ordinal);
        Assert.Contains(package.Files(), f => f.Name == "subtitles_fra.vtt" && f.Size == text[1].Size);
        Assert.Null(package.Notes);

        var sets = await AdaptationSetsAsync(admin, id);
        Assert.Equal(
            ["audio eng main [2]", "audio fra main [6,2]", "audio eng commentary [2]", "text eng subtitle []", "text fra subtitle []"],
            sets.Where(s => s.Attribute("contentType")!.Value is "audio" or "text").Select(Describe));
        Assert.All(sets.Where(s => s.Attribute("contentType")!.Value == "text"), s =>
        {
            Assert.Equal("text/vtt", s.Attribute("mimeType")!.Value);
            Assert.Empty(s.Descendants(Dash + "SegmentBase"));
            Assert.EndsWith(".vtt", s.Element(Dash + "Representation")!.Element(Dash + "BaseURL")!.Value, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PgsSubtitledMaster_IsReady_WithANoteAndNoTextSet()
    {
        var master = await StudioMasters.BitmapSubtitledAsync(_masters.Path, 4);
        Assert.Contains("hdmv_pgs_subtitle", await Ffmpeg.ProbeAsync("-show_entries", "stream=codec_name", "-of", "csv=p=0", master),
            StringComparison.Ordinal);
        using var admin = await platform.AdminAsync();
        var id = await admin.UploadAsync("Bitmap subtitles", master);

        var title = await admin.WaitForOutcomeAsync(id, Transcode);

        Assert.Equal("ready", title.Status());
        var package = PackageChecks.Read(platform, id, 1);
        Assert.DoesNotContain(package.Representations, r => r.Kind == MediaKind.Text);
        Assert.Single(package.Representations, r => r.Kind == MediaKind.Audio);
        var note = Assert.Single(package.Notes ?? []);
        Assert.Contains("hdmv_pgs_subtitle", note, StringComparison.Ordinal);
        Assert.Contains("bitmap", note, StringComparison.Ordinal);
        var notes = title.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Equal([note], notes);
        using var viewer = await platform.ViewerAsync();
        var seenByViewer = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}");
        Assert.True(!seenByViewer.TryGetProperty("notes", out var hidden) || hidden.ValueKind == JsonValueKind.Null, "notes are for admins");
    }

    public void Dispose() => _masters.Dispose();

    /// <summary>"audio fra main [6,2]": type, lang, role and the channel counts of the set's representations.</summary>
    private static string Describe(XElement set) => string.Create(CultureInfo.InvariantCulture,
        $"{set.Attribute("contentType")!.Value} {set.Attribute("lang")?.Value} "
        + $"{set.Elements(Dash + "Role").Single(r => r.Attribute("schemeIdUri")!.Value == "urn:mpeg:dash:role:2011").Attribute("value")!.Value} "
        + $"[{string.Join(',', set.Elements(Dash + "Representation").SelectMany(r => r.Elements(Dash + "AudioChannelConfiguration"))
            .Select(c => c.Attribute("value")!.Value))}]");

    private static async Task<IReadOnlyList<XElement>> AdaptationSetsAsync(HttpClient admin, string id)
    {
        var mpd = XDocument.Parse(await admin.GetStringAsync($"/api/v1/titles/{id}/manifest.mpd"));
        return mpd.Descendants(Dash + "AdaptationSet").ToList();
    }

    /// <summary>EBU R128 integrated loudness of a file, measured by ffmpeg's ebur128 filter.</summary>
    private static async Task<double> IntegratedLoudnessAsync(string file)
    {
        await using var ffmpeg = ChildProcess.Start("ffmpeg", ["-hide_banner", "-nostats", "-i", file, "-af", "ebur128", "-f", "null", "-"]);
        Assert.Equal(0, await ffmpeg.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        var line = ffmpeg.Output.Split('\n').Last(l => l.TrimStart().StartsWith("I:", StringComparison.Ordinal));
        return double.Parse(line.Trim()[2..].Replace("LUFS", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }
}
