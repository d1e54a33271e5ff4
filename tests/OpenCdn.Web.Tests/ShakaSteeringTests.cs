using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// Shaka Player under content steering: the first steering answer turns the MPD's default pathway (one BaseURL) into
/// one BaseURL per pathway, and Shaka 5 misreads a segment index fetched across that change (see wwwroot/js/shaka-scheme.js).
/// The peer fleet is used for its two pathways (its edge and the origin).
/// </summary>
[Collection(PeerFleetCollection.Name)]
public sealed class ShakaSteeringTests(PeerFleet fleet)
{
    /// <summary>Fresh sessions per run: each one races its first steering answer against its first index requests.</summary>
    private const int Sessions = 4;

    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    /// <summary>
    /// In a page before its scripts: every fetch with a Range header is logged with the type of the first box its answer
    /// starts with (<c>window.rangeLog</c>).
    /// </summary>
    private const string LogRanges = """
        window.rangeLog = [];
        const fetchOriginal = window.fetch;
        window.fetch = async function (input, init) {
          const url = new URL(typeof input === 'string' ? input : input.url, location.href);
          const headers = new Headers(init?.headers ?? (typeof input === 'string' ? undefined : input.headers));
          const range = headers.get('Range');
          const response = await fetchOriginal.call(this, input, init);
          if (range) {
            response.clone().arrayBuffer().then((data) => {
              const box = String.fromCharCode(...new Uint8Array(data, 4, Math.min(4, Math.max(0, data.byteLength - 4))));
              window.rangeLog.push({ file: url.pathname.split('/').pop(), range, box, afterSwitch: !!window.switched });
            }, () => {}); // aborted by the player: nothing was appended
          }
          return response;
        };
        """;

    /// <summary>ABR off and the top rung chosen with the buffer cleared, as a viewer picking a quality does.</summary>
    private const string SwitchToTheTopRung = """
        () => {
          const player = window.opencdn.player;
          player.configure({ abr: { enabled: false }, streaming: { bufferingGoal: 60 } });
          const audio = player.getVariantTracks().find((t) => t.active).audioId;
          const top = player.getVariantTracks().filter((t) => t.audioId === audio).reduce((a, b) => (b.bandwidth > a.bandwidth ? b : a));
          player.selectVariantTrack(top, true);
          window.switched = true;
        }
        """;

    /// <summary>
    /// True once the page logged an error or eight ranges came back after the switch (the new rung's init, index and
    /// first segments, and the appends between them, are done then). The test does not wait for "buffered to the end":
    /// when ABR reached the top rung first, the switch reselects the active rung with a clear, and if Shaka is still
    /// fetching that rung's index it runs two update loops that skip every other segment (with or without steering; see
    /// PeerDeliveryTests), which is not this test's matter; a misread index shows in the ranges asked before any stall.
    /// </summary>
    private const string FailedOrEightRangesIn = """
        () => window.opencdn.log.entries.some((e) => e.event === 'error') || window.rangeLog.filter((r) => r.afterSwitch).length >= 8
        """;

    private const string FailedOrFirstAppend = """
        () => window.opencdn?.log.entries.some((e) => e.event === 'error') || window.opencdn?.video?.buffered.length > 0
        """;

    [Fact]
    public async Task SwitchingQualityInTheFirstSecond_UnderSteering_AsksOnlyForRangesThatStartAtTheirBox_AndAppendsWithoutError()
    {
        const string test = nameof(SwitchingQualityInTheFirstSecond_UnderSteering_AsksOnlyForRangesThatStartAtTheirBox_AndAppendsWithoutError);
        for (var i = 0; i < Sessions; i++)
        {
            var (manifestUrl, mpd) = await SteeredSessionAsync();
            var ranges = ExpectedBoxes(mpd);
            await using var viewer = await fleet.OpenAsync($"{test}-{i}");
            var page = viewer.Page;
            // A busy machine (two cores, a transcode beside the browser) is where the race showed: slowed down 4x, the
            // page's tasks are long enough that the first steering answer lands among Shaka's first index requests.
            var cdp = await page.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
            await page.Context.AddInitScriptAsync(LogRanges);

            await page.GotoAsync($"/shaka.html?manifest={Uri.EscapeDataString(manifestUrl)}");
            await page.WaitForFunctionAsync(FailedOrFirstAppend, null, new() { PollingInterval = 20 });
            await page.EvaluateAsync(SwitchToTheTopRung);
            try
            {
                await page.WaitForFunctionAsync(FailedOrEightRangesIn, null, new() { Timeout = 20_000, PollingInterval = 100 });
            }
            catch (TimeoutException)
            {
                // Stalled (see FailedOrEightRangesIn): what was asked and appended until then is checked all the same.
            }
            await Task.Delay(500); // an append of the last bytes in fails a moment later

            var asked = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.rangeLog)")).RootElement;
            Assert.NotEmpty(asked.EnumerateArray());
            foreach (var request in asked.EnumerateArray())
            {
                var file = request.GetProperty("file").GetString()!;
                var range = request.GetProperty("range").GetString()!;
                var expected = ranges.TryGetValue((file, range), out var box) ? box : "moof";
                Assert.True(expected == request.GetProperty("box").GetString(),
                    $"session {i}: {file} {range} starts with '{request.GetProperty("box")}', not '{expected}': every range asked: {asked}");
            }
            var log = await viewer.EventLogAsync();
            Assert.True(log.Errors().Count == 0, $"{viewer.Artifacts}: session {i}: {log}");
        }
    }

    /// <summary>A new playback session whose MPD is steered between two pathways (the edge and the origin): its URL and MPD.</summary>
    private async Task<(string Url, XElement Mpd)> SteeredSessionAsync() =>
        await Eventually.ValueAsync(async () =>
        {
            var url = await fleet.ManifestUrlAsync();
            return (Url: url, Mpd: XDocument.Parse(await fleet.Platform.Http.GetStringAsync(new Uri(url))).Root!);
        },
        session => session.Mpd.Element(Dash + "ContentSteering") is not null
            && session.Mpd.Elements(Dash + "BaseURL").Count(b => b.Attribute("serviceLocation") is not null) >= 2,
        "a session steered between the edge and the origin", interval: TimeSpan.FromMilliseconds(250), describe: s => s.Mpd.ToString());

    /// <summary>
    /// What each init and index range of the MPD starts with (<c>ftyp</c>, <c>sidx</c>), by file and Range header; any
    /// other range asked must be a media segment, starting with <c>moof</c>.
    /// </summary>
    private static Dictionary<(string File, string Range), string> ExpectedBoxes(XElement mpd)
    {
        var boxes = new Dictionary<(string File, string Range), string>();
        foreach (var representation in mpd.Descendants(Dash + "Representation"))
        {
            var file = representation.Element(Dash + "BaseURL")?.Value;
            var segmentBase = representation.Element(Dash + "SegmentBase");
            if (file is null || segmentBase is null)
            {
                continue;
            }
            boxes[(file, $"bytes={segmentBase.Element(Dash + "Initialization")!.Attribute("range")!.Value}")] = "ftyp";
            boxes[(file, $"bytes={segmentBase.Attribute("indexRange")!.Value}")] = "sidx";
        }
        return boxes;
    }
}
