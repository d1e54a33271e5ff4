using System.Diagnostics;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>The token bucket holds the fill to its cap over all concurrent downloads.</summary>
[Collection(OpenCdn.Edge.Tests.Support.SerialCollection.Name)]
public sealed class RateCapTests
{
    private const long Cap = 8_000_000;

    [Fact]
    public async Task RateCap_HoldsWithinTenPercent_Over20MB()
    {
        await using var bed = await FillBed.StartAsync(new Dictionary<string, string?>
        {
            ["FillRateBytesPerSecond"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FillConcurrency"] = "3",
        });
        var files = Enumerable.Range(1, 4).ToDictionary(i => $"video_{i}.mp4", i => TestContent.Bytes(5_000_000, seed: i));
        await bed.SetPlanAsync(1, bed.Item("t1", 1, files));

        var clock = Stopwatch.StartNew();
        var outcome = await bed.RunAsync();
        clock.Stop();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        var rate = 20_000_000 / clock.Elapsed.TotalSeconds;
        Assert.True(rate <= Cap * 1.10, $"{rate:N0} B/s is more than 10 % over the cap of {Cap:N0} B/s");
        // The lower bound leaves room for verification and a loaded test machine, yet catches bytes counted twice (0.5×).
        Assert.True(rate >= Cap * 0.60, $"{rate:N0} B/s is far under the cap of {Cap:N0} B/s: the bucket throttles too hard");
    }
}
