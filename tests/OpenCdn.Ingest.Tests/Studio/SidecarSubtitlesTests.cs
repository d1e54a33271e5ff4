using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>
/// <c>PUT /api/v1/titles/{id}/subtitles/{language}</c>: SRT and WebVTT files become WebVTT in a new package version
/// that carries the old files over unchanged, reaches the edge by fill and is served there by token; bad input is a 4xx.
/// </summary>
public sealed class SidecarSubtitlesTests(SidecarPlatform fixture) : IClassFixture<SidecarPlatform>
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private const string Srt =
        "1\r\n00:00:00,200 --> 00:00:03,500\r\nA sidecar line\r\n<i>in italics</i>\r\n\r\n2\r\n00:00:03,600 --> 00:00:03,900\r\nBye\r\n";
    private const string Vtt = "WEBVTT - French\n\nNOTE made by hand\n\nintro\n00:00.200 --> 00:03.500 align:start\nUne ligne à côté\n";

    [Fact]
    public async Task SrtThenWebVtt_EachPublishesANewVersion_WithTheTextSet_AndTheEdgeServesItByToken()
    {
        using var admin = await fixture.Platform.AdminAsync();
        var id = fixture.TitleId;
        var before = await VersionAsync(admin, id);
        var old = PackageChecks.Read(fixture.Platform, id, before);

        using (var response = await PutAsync(admin, id, "en", Srt, "application/x-subrip"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(before + 1, body.GetProperty("packageVersion").GetInt32());
            Assert.Equal(2, body.GetProperty("cues").GetInt32());
        }
        using (var response = await PutAsync(admin, id, "fr", Vtt, "text/vtt; charset=utf-8"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var version = before + 2;
        Assert.Equal(version, await VersionAsync(admin, id));
        var package = PackageChecks.Read(fixture.Platform, id, version);
        var text = package.Representations.Where(r => r.Kind == MediaKind.Text).ToList();
        Assert.Equal(["subtitles_en.vtt:en:subtitle", "subtitles_fr.vtt:fr:subtitle"], text.Select(r => $"{r.File}:{r.Language}:{r.Role}"));
        var english = await File.ReadAllTextAsync(PackageChecks.FileOf(fixture.Platform, package, text[0]));
        Assert.Equal("WEBVTT\n\n00:00:00.200 --> 00:00:03.500\nA sidecar line\n<i>in italics</i>\n\n00:00:03.600 --> 00:00:03.900\nBye\n\n", english);
        // Everything else is the old package's files, carried over byte for byte (nothing encoded again).
        var carried = package.Files().Where(f => !f.Name.StartsWith("subtitles_", StringComparison.Ordinal));
        Assert.Equal(old.Files().Select(f => (f.Name, f.Sha256)), carried.Select(f => (f.Name, f.Sha256)));
        foreach (var file in package.Files())
        {
            Assert.True(File.Exists(fixture.Platform.Data.Combine("origin", "objects", "titles", id, $"v{version}", file.Name)), file.Name);
        }

        await fixture.WaitForEdgeAsync(version, TimeSpan.FromMinutes(1));
        using var viewer = await fixture.Platform.ViewerAsync();
        // The edge reports the version by heartbeat; steering's view of the fleet follows a moment later.
        var mpd = await Eventually.ValueAsync(
            async () =>
            {
                using var playback = await viewer.PostAsync($"/api/v1/playback/{id}", null);
                playback.EnsureSuccessStatusCode();
                var manifestUrl = (await playback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manifestUrl").GetString()!;
                return XDocument.Parse(await fixture.Platform.Http.GetStringAsync(manifestUrl));
            },
            doc => doc.Root!.Elements(Dash + "BaseURL").Any(b => new Uri(b.Value).Authority == fixture.Edge.BaseUrl.Authority),
            "steering names the edge", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500), doc => doc.ToString());
        var edgeBase = mpd.Root!.Elements(Dash + "BaseURL").Select(b => new Uri(b.Value))
            .First(u => u.Authority == fixture.Edge.BaseUrl.Authority);
        var french = mpd.Descendants(Dash + "AdaptationSet")
            .Single(s => s.Attribute("contentType")?.Value == "text" && s.Attribute("lang")?.Value == "fr");
        var url = new Uri(edgeBase, french.Element(Dash + "Representation")!.Element(Dash + "BaseURL")!.Value);
        using var served = await fixture.Platform.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("text/vtt", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Une ligne à côté", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forged = new Uri(url.AbsoluteUri.Replace("/c/", "/c/x", StringComparison.Ordinal));
        using var refused = await fixture.Platform.Http.GetAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("english!", "00:00:01,000 --> 00:00:02,000\nHi\n", "application/x-subrip", HttpStatusCode.BadRequest)]
    [InlineData("en", "These are not subtitles.\nJust words.\n", "text/plain", HttpStatusCode.BadRequest)]
    [InlineData("en", "1\n00:00:05,000 --> 00:00:02,000\nBackwards\n", "application/x-subrip", HttpStatusCode.BadRequest)]
    [InlineData("en", "WEBVTT\n\n", "text/vtt", HttpStatusCode.BadRequest)]
    [InlineData("en", "{\"cues\":[]}", "application/json", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("en", "00:00:01,000 --> 00:00:02,000\nHi\n", "image/png", HttpStatusCode.UnsupportedMediaType)]
    public async Task BadSubtitles_AreRefusedWithProblemDetails(string language, string body, string contentType, HttpStatusCode expected)
    {
        using var admin = await fixture.Platform.AdminAsync();
        var version = await VersionAsync(admin, fixture.TitleId);

        using var response = await PutAsync(admin, fixture.TitleId, language, body, contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(version, await VersionAsync(admin, fixture.TitleId));
    }

    [Fact]
    public async Task OversizedBinaryUnknownOrUnreadyTitles_AndViewers_AreRefused()
    {
        using var admin = await fixture.Platform.AdminAsync();
        var huge = "1\n00:00:01,000 --> 00:00:02,000\n" + new string('x', 3 * 1024 * 1024) + "\n";
        using (var response = await PutAsync(admin, fixture.TitleId, "en", huge, "application/x-subrip"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        using (var binary = new ByteArrayContent([0x00, 0xFF, 0xFE, 0x01, 0x89, 0x50, 0x4E, 0x47]))
        {
            binary.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await admin.PutAsync($"/api/v1/titles/{fixture.TitleId}/subtitles/en", binary);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var response = await PutAsync(admin, "0123456789abcdef", "en", Srt, "application/x-subrip"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var unready = await admin.CreateTitleAsync("Not uploaded yet");
        using (var response = await PutAsync(admin, unready, "en", Srt, "application/x-subrip"))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }
        using var viewer = await fixture.Platform.ViewerAsync();
        using (var response = await PutAsync(viewer, fixture.TitleId, "en", Srt, "application/x-subrip"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string id, string language, string body, string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PutAsync($"/api/v1/titles/{id}/subtitles/{Uri.EscapeDataString(language)}", content);
    }

    private static async Task<int> VersionAsync(HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}")).GetProperty("packageVersion").GetInt32();
}
