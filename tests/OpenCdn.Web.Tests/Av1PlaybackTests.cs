using System.Xml.Linq;
using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

/// <summary>
/// AV1 beside H.264 in a real browser: the session MPD has both ladders, Chromium (which decodes AV1) plays the AV1
/// set through dash.js and through Shaka, and a player limited to H.264 (<c>?codec=avc1</c>) plays H.264.
/// </summary>
[Collection(Av1Collection.Name)]
public sealed class Av1PlaybackTests(Av1Platform web)
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SessionMpd_HasAnH264AndAnAv1VideoSet_WithTheSameRungs()
    {
        var manifestUrl = (await web.PlaybackAsync()).GetProperty("manifestUrl").GetString()!;

        var mpd = XDocument.Parse(await web.Platform.Http.GetStringAsync(manifestUrl));

        var sets = mpd.Descendants(Dash + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "video").ToList();
        Assert.Equal(2, sets.Count);
        var codecs = sets.Select(s => s.Elements(Dash + "Representation").Select(r => (string)r.Attribute("codecs")!).ToList()).ToList();
        Assert.All(codecs[0], c => Assert.StartsWith("avc1.", c, StringComparison.Ordinal));
        Assert.All(codecs[1], c => Assert.Matches(@"^av01\.0\.\d\dM\.08$", c));
        Assert.Equal(Heights(sets[0]), Heights(sets[1]));
        Assert.Equal(["360", "240"], Heights(sets[1]));
    }

    [Fact]
    public async Task DashJs_PlaysTheAv1Set()
    {
        await using var session = await web.OpenAsync(nameof(DashJs_PlaysTheAv1Set));
        await web.PlaybackAsync(); // steering knows the title

        await session.Page.PlayAsViewerAsync(Av1Platform.TitleName);

        Assert.StartsWith("av01.", await DashCodecsAfterPlayingAsync(session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashJs_LimitedToH264_PlaysTheH264Set()
    {
        await using var session = await web.OpenAsync(nameof(DashJs_LimitedToH264_PlaysTheH264Set));
        await web.PlaybackAsync();

        await session.Page.SignInAsync("/?codec=avc1", "viewer", OpenCdn.Testing.PlatformProcesses.ViewerPassword);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = $"Play {Av1Platform.TitleName}" }).ClickAsync();

        Assert.StartsWith("avc1.", await DashCodecsAfterPlayingAsync(session), StringComparison.Ordinal);
        Assert.All((await session.EventLogAsync()).OfKind("fragment"),
            f => Assert.StartsWith("avc1.", f.GetProperty("codecs").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "av01.")]
    [InlineData("&codec=avc1", "avc1.")]
    public async Task Shaka_PlaysAv1_OrH264WhenLimitedToIt(string query, string expected)
    {
        await using var session = await web.OpenAsync($"{nameof(Shaka_PlaysAv1_OrH264WhenLimitedToIt)}{query.Replace('&', '-')}");
        var manifestUrl = (await web.PlaybackAsync()).GetProperty("manifestUrl").GetString()!;

        await session.Page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(manifestUrl)}{query}");
        await session.WaitForPlaybackAsync(3, Start);
        var before = await session.CurrentTimeAsync();
        await session.WaitForPlaybackAsync(before + 2, Start);

        Assert.Empty((await session.EventLogAsync()).Errors());
        Assert.StartsWith(expected, await session.Page.EvaluateAsync<string>("() => window.opencdn.videoCodec()"), StringComparison.Ordinal);
    }

    /// <summary>Waits until playback advances past 3 s and then 2 s more; the codecs of the representation playing then.</summary>
    private static async Task<string> DashCodecsAfterPlayingAsync(PageSession session)
    {
        await session.WaitForPlaybackAsync(3, Start);
        var before = await session.CurrentTimeAsync();
        await session.WaitForPlaybackAsync(before + 2, Start);
        Assert.Empty((await session.EventLogAsync()).Errors());
        return await session.Page.EvaluateAsync<string>("() => window.opencdn.session.stats().codecs");
    }

    private static List<string> Heights(XElement set) => [.. set.Elements(Dash + "Representation").Select(r => (string)r.Attribute("height")!)];
}
