using System.Net;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.ControlPlane;

/// <summary>Registration, heartbeats, keys and plans from the control plane (a test double of its edge routes).</summary>
public sealed class HeartbeatTests
{
    [Fact]
    public async Task Edge_RegistersWithBootstrapToken_ThenHeartbeatsWithItsCredential()
    {
        await using var controlPlane = await ControlPlaneDouble.StartAsync();
        using var folder = new TempFolder();
        await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(controlPlane));

        await Eventually.TrueAsync(() => controlPlane.Heartbeats.Count >= 2, "two heartbeats arrived");

        var registration = Assert.Single(controlPlane.Registrations);
        Assert.Equal("edge-under-test", registration.Name);
        Assert.Equal(new Uri("http://edge.example:8080/"), registration.PublicUrl);
        Assert.Equal(new FillWindow(new TimeOnly(2, 0), new TimeOnly(2, 0), "UTC"), registration.FillWindow);
        Assert.Equal(["192.0.2.0/24"], registration.ClientPrefixes);
        Assert.Empty(controlPlane.Unauthorized);
        Assert.Contains(
            ControlPlaneDouble.Credential, await File.ReadAllTextAsync(Path.Combine(folder.Path, "identity.json")), StringComparison.Ordinal);
        Assert.Equal(EdgeHealth.Healthy, controlPlane.Heartbeats.Last().Health);
    }

    [Fact]
    public async Task HeartbeatKeys_AreUsedForTokens_AndRotation_RevokesDroppedKeys_AndDrainIsReported()
    {
        await using var controlPlane = await ControlPlaneDouble.StartAsync();
        using var folder = new TempFolder();
        var bytes = TestContent.Bytes(1000);
        controlPlane.Plan = PlanHolding(bytes); // what the edge holds must stay in its plan, or it is evicted
        await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(controlPlane));
        await edge.SeedAsync("t1", 1, "video.mp4", bytes);
        var first = controlPlane.Keys[0];
        await Eventually.TrueAsync(() => !controlPlane.Heartbeats.IsEmpty, "a heartbeat arrived");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(edge, first));

        var second = TestContent.Key("cp-2", DateTimeOffset.UtcNow.AddDays(2));
        controlPlane.Keys = [second];
        controlPlane.Drain = true;
        await Eventually.TrueAsync(() => controlPlane.Heartbeats.LastOrDefault()?.Health == EdgeHealth.Draining, "the edge reported it is draining");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(edge, second));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(edge, first));
        Assert.Equal("Degraded", await edge.Client.GetStringAsync("healthz"));
    }

    [Fact]
    public async Task NewPlanVersion_IsFetched_Filled_AndReportedInInventory()
    {
        await using var controlPlane = await ControlPlaneDouble.StartAsync();
        await using var origin = await SourceServer.StartAsync();
        controlPlane.Plan = new FillPlan(7, DateTimeOffset.UtcNow, [OriginItem(origin, "t1", 2, TestContent.Bytes(50_000))]);
        using var folder = new TempFolder();
        await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(controlPlane));

        await Eventually.TrueAsync(
            () => controlPlane.Heartbeats.Any(h => h.Inventory.Contains(new InventoryItem("t1", 2)) && h.Fill.FilesDone == 1),
            "the inventory listed t1 v2");

        var last = controlPlane.Heartbeats.Last(h => h.Fill.FilesDone == 1);
        Assert.Equal(7, last.Fill.PlanVersion);
        Assert.Equal(1, last.Fill.FilesTotal);
        Assert.Equal(50_000, last.Fill.BytesTotal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(edge, controlPlane.Keys[0], "t1", 2));
    }

    [Fact]
    public async Task TitleDroppedFromPlan_IsReportedGoneByHeartbeat_ThenEvicted()
    {
        await using var controlPlane = await ControlPlaneDouble.StartAsync();
        await using var origin = await SourceServer.StartAsync();
        controlPlane.Plan = new FillPlan(1, DateTimeOffset.UtcNow, [OriginItem(origin, "t1", 1, TestContent.Bytes(20_000))]);
        using var folder = new TempFolder();
        await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(controlPlane));
        await Eventually.TrueAsync(() => controlPlane.Heartbeats.Any(h => h.Inventory.Count == 1), "t1 was filled and reported");

        controlPlane.Plan = new FillPlan(2, DateTimeOffset.UtcNow, []);
        var content = Path.Combine(folder.Path, "content", "t1", "v1", "video.mp4");
        await Eventually.TrueAsync(() => !File.Exists(content), "t1 was evicted");

        // The heartbeat that told the control plane t1 is gone came before the file went.
        var heartbeats = controlPlane.Heartbeats.ToArray();
        var afterFill = heartbeats.SkipWhile(h => h.Inventory.Count == 0).SkipWhile(h => h.Inventory.Count == 1);
        Assert.Contains(afterFill, h => h.Inventory.Count == 0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(edge, controlPlane.Keys[0]));
    }

    [Fact]
    public async Task ControlPlaneGone_RestartedEdge_KeepsServingWithPersistedKeys_UntilTheyExpire()
    {
        using var folder = new TempFolder();
        var key = TestContent.Key("cp-1", DateTimeOffset.UtcNow.AddHours(2));
        await using (var controlPlane = await ControlPlaneDouble.StartAsync())
        {
            controlPlane.Keys = [key];
            var bytes = TestContent.Bytes(1000);
            controlPlane.Plan = PlanHolding(bytes);
            await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(controlPlane));
            await edge.SeedAsync("t1", 1, "video.mp4", bytes);
            await Eventually.TrueAsync(() => !controlPlane.Heartbeats.IsEmpty, "a heartbeat arrived");
        }
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = Linked(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        await using var restarted = await EdgeHost.StartAsync(folder.Path, settings, clock);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, key, expires: DateTimeOffset.UtcNow.AddDays(1)));

        clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(restarted, key, expires: DateTimeOffset.UtcNow.AddDays(1)));
    }

    [Fact]
    public async Task ControlPlaneUnreachableAtStart_EdgeReconnectsWhenItComesUp_AndTurnsHealthy()
    {
        var port = FreePort.Next(); // the edge is told the address before anything listens there
        using var folder = new TempFolder();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var edge = await EdgeHost.StartAsync(folder.Path, Linked(new Uri($"http://127.0.0.1:{port}/")), clock);
        clock.Advance(TimeSpan.FromMinutes(5)); // backoff delays on the edge's clock: no real time to wait out
        using var before = await edge.Client.GetAsync("healthz"); // no key yet: nothing can be served

        await using var controlPlane = await ControlPlaneDouble.StartAsync(port);

        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5)); // the pending backoff runs out, and the edge tries again
            return !controlPlane.Heartbeats.IsEmpty;
        }, "the edge registered and heartbeat after the control plane came up");
        using var after = await edge.Client.GetAsync("healthz");
        Assert.Single(controlPlane.Registrations);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>A one-file item (<c>video.mp4</c>) that <paramref name="origin"/> serves.</summary>
    private static FillItem OriginItem(SourceServer origin, string titleId, int version, byte[] bytes)
    {
        origin.Add("video.mp4", bytes);
        var urls = new Dictionary<string, Uri> { ["video.mp4"] = origin.UrlOf("o", "video.mp4") };
        return new FillItem(titleId, version, [TestContent.File("video.mp4", bytes)], [new FillSource(FillSourceKind.Origin, "origin", null, urls)]);
    }

    private static FillPlan PlanHolding(byte[] bytes) =>
        new(1, DateTimeOffset.UtcNow, [new FillItem("t1", 1, [TestContent.File("video.mp4", bytes)], [])]);

    private static Dictionary<string, string?> Linked(ControlPlaneDouble controlPlane) => Linked(controlPlane.Url);

    private static Dictionary<string, string?> Linked(Uri controlPlane) => new()
    {
        ["ControlPlaneUrl"] = controlPlane.AbsoluteUri,
        ["BootstrapToken"] = ControlPlaneDouble.BootstrapToken,
        ["PublicUrl"] = "http://edge.example:8080/",
        ["Name"] = "edge-under-test",
        ["ClientPrefixes:0"] = "192.0.2.0/24",
        ["HeartbeatInterval"] = "00:00:00.200",
        ["FillPollInterval"] = "00:00:00.500",
        ["FillRateBytesPerSecond"] = "0",
    };

    private static async Task<HttpStatusCode> StatusAsync(
        EdgeHost edge, SigningKey key, string title = "t1", int version = 1, DateTimeOffset? expires = null)
    {
        using var response = await edge.Client.GetAsync(
            $"c/{DeliveryToken.Issue(key, title, expires ?? DateTimeOffset.UtcNow.AddHours(1))}/{title}/v{version}/video.mp4");
        return response.StatusCode;
    }
}
