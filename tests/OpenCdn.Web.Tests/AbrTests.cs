using Microsoft.Playwright;

namespace OpenCdn.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class AbrTests(WebPlatform web)
{
    private const int TopHeight = 480;

    [Fact]
    public async Task Throttled_SettlesOnALowerRendition_AndUnthrottled_Climbs()
    {
        await using var session = await web.OpenAsync(nameof(Throttled_SettlesOnALowerRendition_AndUnthrottled_Climbs));
        var page = session.Page;
        var network = await page.Context.NewCDPSessionAsync(page);
        await network.SendAsync("Network.enable");
        // 700 kbit/s: the 240p rung (300k) and audio (128k) fit, 360p (600k) with audio does not.
        await ThrottleAsync(network, 700_000);

        await page.PlayAsViewerAsync(WebPlatform.TitleName);
        await session.WaitForPlaybackAsync(12, TimeSpan.FromSeconds(90));
        var throttled = (await session.EventLogAsync()).FragmentHeights();
        // "Unthrottled" is a good home link, 20 Mbit/s: with no limit at all, loopback answers a range in one read and
        // XHR progress timing (which dash.js measures with) has nothing to measure.
        await ThrottleAsync(network, 20_000_000);
        await page.WaitForFunctionAsync(
            $"() => window.opencdn.session.log.entries.some(e => e.event === 'fragment' && e.height === {TopHeight} "
            + $"&& e.atMs > {await ElapsedMsAsync(page)})",
            null, new() { Timeout = 60_000, PollingInterval = 250 });

        Assert.True(throttled.Count >= 3, $"fragments while throttled: {string.Join(",", throttled)}");
        Assert.All(throttled.TakeLast(2), height => Assert.True(height < TopHeight, $"throttled fragments: {string.Join(",", throttled)}"));
        Assert.Empty((await session.EventLogAsync()).Errors());
    }

    private static Task<double> ElapsedMsAsync(IPage page) =>
        page.EvaluateAsync<double>("() => performance.now() - window.opencdn.session.log.startedAt");

    private static async Task ThrottleAsync(ICDPSession network, long bitsPerSecond) =>
        await network.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 20,
            ["downloadThroughput"] = bitsPerSecond / 8.0,
            ["uploadThroughput"] = bitsPerSecond / 8.0,
        });
}
