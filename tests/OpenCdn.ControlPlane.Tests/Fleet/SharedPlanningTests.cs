using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;
using static OpenCdn.ControlPlane.Tests.Fleet.TwoInstances;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>
/// Several control-plane instances plan as one: one instance holds the planning lease and plans from the plays every
/// instance counted; the plans live in the database, so an edge gets one version and one plan whichever instance it
/// reaches, also across a takeover when the planner dies.
/// </summary>
public sealed class SharedPlanningTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan LeasePeriod = new FleetOptions().PlanningLease;

    [Fact]
    public async Task HeartbeatsAlternatingBetweenInstances_GetOneVersionAndOnePlan_AlsoFromAnInstanceStartedLater()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("alternating", "127.0.95.0/24"));
        await a.SyncAsync();
        var first = await AnnouncedAsync(edge, []);
        for (var i = 0; i < 2; i++)
        {
            await a.AddReadyTitleAsync(); // each new title is a new plan version
            await a.SyncAsync();
        }

        var b = pair.StartB(); // its start reads the stored plans; it never planned this edge itself
        var onB = b.Rejoin(edge);
        var versions = new List<int>();
        for (var round = 0; round < 3; round++)
        {
            var viaA = await AnnouncedAsync(edge, []);
            var viaB = await AnnouncedAsync(onB, []);
            Assert.Equal(viaA, viaB);
            Assert.Equal(await PlanAsync(edge), await PlanAsync(onB));
            Assert.Equal(viaA, (await PlanAsync(onB)).Version);
            versions.Add(viaA);
            await b.AddReadyTitleAsync();
            await a.SyncAsync();
            await b.SyncAsync();
        }

        Assert.True(versions[0] > first, $"{versions[0]} after {first}");
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.Second > p.First), string.Join(", ", versions));
        Assert.Equal(6, (await PlannedTitlesAsync(onB)).Length); // 1 + 2 + one a round
        Assert.True(Lease(a).IsHeld);
        Assert.False(Lease(b).IsHeld);
    }

    [Fact]
    public async Task WhenThePlannerDiesWithoutReleasing_AnotherTakesOverWithinTwoLeasePeriods_AndVersionsGoOnFromTheStoredOnes()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("survivor", "127.0.96.0/24"));
        await a.SyncAsync();
        await a.AddReadyTitleAsync();
        await a.SyncAsync();
        var b = pair.StartB();
        var onB = b.Rejoin(edge);
        var before = await AnnouncedAsync(onB, []);
        Assert.True(Lease(a).IsHeld);

        // A stops here: no more passes, no release. B's clock moves on; its passes try the lease.
        b.App.Clock.Advance(LeasePeriod / 2);
        await b.SyncAsync();
        var tookEarly = Lease(b).IsHeld;
        b.App.Clock.Advance(LeasePeriod * 1.5);
        await b.SyncAsync();
        var tookOver = Lease(b).IsHeld;

        await b.AddReadyTitleAsync();
        await b.SyncAsync(); // the new holder plans the new title
        var after = await AnnouncedAsync(onB, []);
        await a.SyncAsync(); // A comes back: the lease is B's, and A hands out B's plans
        var zombie = Lease(a).IsHeld;
        var viaA = await AnnouncedAsync(edge, []);

        Assert.False(tookEarly);
        Assert.True(tookOver);
        Assert.True(before >= 2, $"{before}");
        Assert.True(after > before, $"{after} after {before}");
        Assert.Equal(3, (await PlannedTitlesAsync(onB)).Length);
        Assert.False(zombie);
        Assert.Equal(after, viaA);
        Assert.Equal(await PlanAsync(onB), await PlanAsync(edge));
    }

    [Fact]
    public async Task PlaysCountedOnEitherInstance_BothCountInThePlan()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        var b = pair.StartB();
        var shared = await a.AddReadyTitleAsync();
        var local = await a.AddReadyTitleAsync();
        // Room for one of the two titles (8 KiB each): the plan takes the one with the most plays fleet-wide.
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("one-title", "127.0.97.0/24") with { DiskCapacityBytes = 10_000 });
        await a.SyncAsync();
        await b.SyncAsync();

        using var viewerA = await a.ViewerFromAsync("127.0.97.10");
        using var viewerB = await b.ViewerFromAsync("127.0.97.11");
        await PlayAsync(viewerA, shared, 2);
        await PlayAsync(viewerA, local, 3); // more than "shared" on A alone
        // But "shared" has 6 in the fleet: more than local's 3 by over the hold margin (FillOptions.HoldMargin), should a
        // plan from A's plays alone have taken "local" first.
        await PlayAsync(viewerB, shared, 4);
        var flush = new FleetOptions().PopularityFlushInterval; // plays reach the database once per flush interval
        a.App.Clock.Advance(flush);
        b.App.Clock.Advance(flush);
        await a.SyncAsync(); // A renews its lease and adds its plays to the database
        await b.SyncAsync(); // B adds its plays
        a.App.Clock.Advance(new FleetOptions().PlanInterval);
        await a.SyncAsync(); // A replans from the sums
        await b.SyncAsync();

        Assert.Equal([shared], await PlannedTitlesAsync(edge));
        Assert.Equal([shared], await PlannedTitlesAsync(b.Rejoin(edge)));
    }

    [Fact]
    public async Task ARevokeOnAnInstanceThatDoesNotPlan_TakesThePeerOutOfEveryPlan_UnderANewVersion()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        var title = await a.AddReadyTitleAsync();
        var peer = await a.EnrollAsync(PlaybackBed.Embedded("revoked-peer", "127.0.98.0/24"));
        var newcomer = await a.EnrollAsync(PlaybackBed.Embedded("newcomer", "127.0.99.0/24"));
        await PlaybackBed.BeatAsync(peer, [title]);
        await PlaybackBed.BeatAsync(newcomer, []);
        await a.SyncAsync();
        await a.AddReadyTitleAsync(); // A's plans move on before B starts
        await a.SyncAsync();
        var b = pair.StartB();
        var onB = b.Rejoin(newcomer);
        var before = await AnnouncedAsync(onB, []);
        var sourcesBefore = await SourceKindsAsync(onB, title);

        using var admin = await b.App.AdminAsync();
        using var revoke = await admin.PostAsync($"/api/v1/edges/{peer.Id}/revoke", null);
        await b.SyncAsync();
        await a.SyncAsync();
        await b.SyncAsync();

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.False(Lease(b).IsHeld);
        Assert.Equal(["peer", "origin"], sourcesBefore);
        var viaB = await AnnouncedAsync(onB, []);
        Assert.True(viaB > before, $"{viaB} after {before}");
        Assert.Equal(viaB, await AnnouncedAsync(newcomer, []));
        Assert.Equal(["origin"], await SourceKindsAsync(onB, title));
        Assert.Equal(["origin"], await SourceKindsAsync(newcomer, title));
    }

    [Fact]
    public async Task ATitleRetiredOnAnInstanceThatDoesNotPlan_LeavesEveryPlan_ThenOrigin()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        var title = await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("keeper", "127.0.100.0/24"));
        await a.SyncAsync();
        var other = await a.AddReadyTitleAsync(); // A's plans move on before B starts
        await a.SyncAsync();
        var b = pair.StartB();
        var onB = b.Rejoin(edge);
        var before = await AnnouncedAsync(onB, [title, other]);

        using var admin = await b.App.AdminAsync();
        using var retire = await admin.DeleteAsync($"/api/v1/titles/{title}");
        await b.SyncAsync();
        await a.SyncAsync();
        await b.SyncAsync();
        var after = await AnnouncedAsync(onB, [title, other]);
        var planned = await PlannedTitlesAsync(onB);
        await AnnouncedAsync(onB, [other]); // the edge took its new plan and evicted the title
        await b.SyncAsync();
        await a.SyncAsync();

        Assert.Equal(HttpStatusCode.NoContent, retire.StatusCode);
        Assert.True(after > before, $"{after} after {before}");
        Assert.Equal([other], planned);
        Assert.Equal(after, await AnnouncedAsync(edge, [other]));
        var origin = a.App.Services.GetRequiredService<IObjectStore>();
        Assert.Empty(await origin.ListAsync($"titles/{title}/", CancellationToken.None).ToListAsync());
    }

    private static async Task PlayAsync(HttpClient viewer, string titleId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PlaybackBed.PlayAsync(viewer, titleId)).Status);
        }
    }

    private static async Task<string[]> SourceKindsAsync(PlaybackBed.Edge edge, string titleId)
    {
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        var item = plan.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("titleId").GetString() == titleId);
        return [.. item.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!.ToLowerInvariant())];
    }
}
