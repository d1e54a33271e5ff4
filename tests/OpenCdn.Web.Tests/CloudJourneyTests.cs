using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// Scale-out as an operator runs it, in cloud mode (PostgreSQL, S3, SQS) with two of everything: a second control-plane
/// instance joins a running one behind a balancer, both answer as one (same plans, same keys, same catalog), a viewer
/// plays through the second, and when the first dies the second plans on alone.
/// </summary>
public sealed class CloudJourneyTests(CloudFleet fleet) : IClassFixture<CloudFleet>
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Fill = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TwoInstances_ActAsOne_FromUploadOnAToPlayOnB_AndBPlansAloneWhenAIsKilled()
    {
        // A alone: a title uploaded through A fills both edges, which heartbeat through the balancer.
        var first = await UploadAsync(fleet.A, "First light", 24);
        await fleet.WaitForFillAsync(fleet.A, first, Fill);

        // B joins. Heartbeats now alternate between A and B, and each edge gets one plan from both.
        await fleet.StartBAsync();
        var served = fleet.Balancer.Served(fleet.B.BaseUrl);
        await Eventually.TrueAsync(() => Task.FromResult(fleet.Balancer.Served(fleet.B.BaseUrl) > served + 8),
            "B answers its share of the edges' requests", TimeSpan.FromSeconds(30));
        foreach (var edge in fleet.Edges)
        {
            Assert.Equal(await PlanAsync(fleet.A, edge), await PlanAsync(fleet.B, edge));
        }
        await AssertPlanVersionsNeverGoBackAsync(TimeSpan.FromSeconds(6));

        // A viewer signs in at B and plays from an edge: B's session and tokens are good at edges A's keys were given to.
        const string test = nameof(TwoInstances_ActAsOne_FromUploadOnAToPlayOnB_AndBPlansAloneWhenAIsKilled);
        await using (var session = await fleet.Browser.OpenAsync(fleet.B.BaseUrl, test))
        {
            await session.Page.PlayAsViewerAsync("First light");
            await session.WaitForPlaybackAsync(6, TimeSpan.FromSeconds(60));
            var log = await session.EventLogAsync();
            Assert.Empty(log.Errors());
            var edgeIds = fleet.Edges.Select(e => CloudFleet.IdentityOf(e).EdgeId).ToHashSet();
            Assert.NotEmpty(log.OfKind("fragment"));
            Assert.All(log.OfKind("fragment").Select(f => f.GetProperty("server").GetString()!), s => Assert.Contains(s, edgeIds));
        }

        // A title retired on A leaves B's steering within a sync or two.
        using (var adminA = await fleet.A.AdminAsync())
        {
            (await adminA.DeleteAsync($"/api/v1/titles/{first}")).EnsureSuccessStatusCode();
        }
        using var viewerB = await fleet.B.ViewerAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var refused = await viewerB.PostAsync($"/api/v1/playback/{first}", null);
            return refused.StatusCode == HttpStatusCode.NotFound;
        }, "B stops steering to the title retired on A", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));

        // kill -9 A, the instance that has planned so far: B takes the lease and plans a title uploaded through it.
        Assert.Contains("now plans fill for the fleet", fleet.A.ControlPlane.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("now plans fill for the fleet", fleet.B.ControlPlane.Output, StringComparison.Ordinal);
        await fleet.A.ControlPlane.KillAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(fleet.B.ControlPlane.Output.Contains("now plans fill for the fleet", StringComparison.Ordinal)),
            "B takes the planning lease within two lease periods of A's death", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        var second = await UploadAsync(fleet.B, "Second wind", 6);
        await fleet.WaitForFillAsync(fleet.B, second, Fill);
    }

    private async Task<string> UploadAsync(PlatformProcesses instance, string name, int seconds)
    {
        var master = await Ffmpeg.GenerateMasterAsync(fleet.Masters.Combine($"{name}.mp4"), 640, 360, "25", seconds, audioChannels: 2);
        using var admin = await instance.AdminAsync();
        var id = await admin.UploadAsync(name, master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, Transcode)).Status());
        return id;
    }

    /// <summary>The edge's fill plan as the instance hands it out: its version and what it lists (sources carry fresh tokens).</summary>
    private static async Task<string> PlanAsync(PlatformProcesses instance, EdgeProcess edge)
    {
        var (edgeId, credential) = CloudFleet.IdentityOf(edge);
        using var client = new HttpClient { BaseAddress = instance.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        var plan = await client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edgeId}/fill-plan");
        var items = plan.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("titleId").GetString()}@{i.GetProperty("version").GetInt32()}");
        return $"v{plan.GetProperty("version").GetInt32()}: {string.Join(", ", items)}";
    }

    /// <summary>
    /// Samples the plan version each edge reports holding, through both instances, for a while: it may only move forward.
    /// Instances that plan on their own hand one edge different versions in turn, and it refetches on every flip.
    /// </summary>
    private async Task AssertPlanVersionsNeverGoBackAsync(TimeSpan duration)
    {
        var highest = new Dictionary<string, int>();
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            foreach (var instance in new[] { fleet.A, fleet.B })
            {
                foreach (var (edge, version) in await CloudFleet.HeldPlanVersionsAsync(instance))
                {
                    var before = highest.GetValueOrDefault(edge);
                    Assert.True(version >= before, $"{edge} went back from plan v{before} to v{version}");
                    highest[edge] = version;
                }
            }
            await Task.Delay(250);
        }
    }
}
