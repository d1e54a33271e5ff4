using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>Sources in plan order: a peer edge first (tiered fill), origin when the peer is down or lies; nothing unverified is served.</summary>
public sealed class SourceOrderTests
{
    private static readonly byte[] Video = TestContent.Bytes(300_000, seed: 3);

    [Fact]
    public async Task PeerEdgeHoldingTheFile_IsPreferredOverOrigin()
    {
        await using var bed = await FillBed.StartAsync();
        using var peerFolder = new TempFolder();
        await using var peer = await EdgeHost.StartAsync(peerFolder.Path, backgroundServices: false);
        var peerKey = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(30)); // the peer's own key, not the filling edge's
        await peer.SetKeysAsync(peerKey);
        await peer.SeedAsync("t1", 1, "video_720p.mp4", Video);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files(), Peer("peer-edge", peer.BaseUrl, peerKey)));

        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.Empty(bed.Origin.Requests);
        Assert.Equal(Video, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
        Assert.Contains(
            "opencdn_edge_requests_total{route=\"peer\",status=\"200\"}", await peer.Client.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerDown_OriginIsUsed()
    {
        await using var bed = await FillBed.StartAsync();
        var deadPeer = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files(), Peer("dead-peer", deadPeer, bed.Key)));

        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.Single(bed.Origin.Requests);
        Assert.Equal(Video, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
    }

    [Fact]
    public async Task PeerRequests_CarryThePlansTokenForThatPeer()
    {
        await using var bed = await FillBed.StartAsync();
        await using var fakePeer = await SourceServer.StartAsync();
        fakePeer.Add("video_720p.mp4", Video);
        var source = Peer("peer", fakePeer.BaseUrl, TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1)));
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files(), source));

        await bed.RunAsync();

        var request = Assert.Single(fakePeer.Requests);
        Assert.Equal("peer/t1/v1/video_720p.mp4", request.Path);
        Assert.Equal("Bearer " + source.Token, request.Authorization);
    }

    [Fact]
    public async Task PeerWithoutAToken_IsSkipped_AndOriginFills()
    {
        await using var bed = await FillBed.StartAsync();
        await using var fakePeer = await SourceServer.StartAsync();
        fakePeer.Add("video_720p.mp4", Video);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files(), new FillSource(FillSourceKind.Peer, "peer", fakePeer.BaseUrl, null)));

        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.Empty(fakePeer.Requests);
        Assert.Single(bed.Origin.Requests);
    }

    [Fact]
    public async Task CorruptPeer_IsRejected_AndOriginFills()
    {
        await using var bed = await FillBed.StartAsync();
        await using var lyingPeer = await SourceServer.StartAsync();
        lyingPeer.Add("video_720p.mp4", Video);
        lyingPeer.Corrupt = true;
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files(), Peer("lying-peer", lyingPeer.BaseUrl, bed.Key)));

        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.Single(lyingPeer.Requests);
        Assert.Single(bed.Origin.Requests);
        Assert.Equal(Video, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
        Assert.Contains("opencdn_edge_fill_corrupt_total 1", await bed.Edge.Client.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptOnlySource_NothingServed_AndRefetchedNextPass()
    {
        await using var bed = await FillBed.StartAsync();
        await bed.SetPlanAsync(1, bed.Item("t1", 1, Files()));
        bed.Origin.Corrupt = true;

        var first = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Incomplete, first);
        Assert.False(bed.Holds("t1", 1, "video_720p.mp4"));
        Assert.False(File.Exists(bed.PartialPath("t1", 1, "video_720p.mp4")));
        Assert.False(File.Exists(bed.ContentPath("t1", 1, "video_720p.mp4")));
        Assert.Empty(await bed.DownloadAsync("t1", 1, "video_720p.mp4"));

        bed.Origin.Corrupt = false;
        var second = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, second);
        Assert.Equal(Video, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
    }

    [Fact]
    public async Task OriginNotYetOpen_WaitsForTheSeedingPeer_ThenFillsFromIt()
    {
        await using var bed = await FillBed.StartAsync();
        await using var seeder = await SourceServer.StartAsync(); // the group's seeder, still fetching the title itself
        var item = bed.Item("t1", 1, Files(), Peer("seeder", seeder.BaseUrl, bed.Key));
        var origin = item.Sources[^1] with { NotBefore = DateTimeOffset.UtcNow.AddHours(1) };
        await bed.SetPlanAsync(1, item with { Sources = [item.Sources[0], origin] });

        var waiting = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Incomplete, waiting);
        Assert.Empty(bed.Origin.Requests);
        Assert.False(bed.Holds("t1", 1, "video_720p.mp4"));

        seeder.Add("video_720p.mp4", Video); // the seeder has it now: the next pass takes it from there
        var done = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, done);
        Assert.Empty(bed.Origin.Requests);
        Assert.Equal(Video, await bed.DownloadAsync("t1", 1, "video_720p.mp4"));
    }

    [Fact]
    public async Task OriginOpenAgain_AfterTheSeedersWait_Fills()
    {
        await using var bed = await FillBed.StartAsync();
        var deadSeeder = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var item = bed.Item("t1", 1, Files(), Peer("seeder", deadSeeder, bed.Key));
        var origin = item.Sources[^1] with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1) };
        await bed.SetPlanAsync(1, item with { Sources = [item.Sources[0], origin] });

        Assert.Equal(FillPassOutcome.Complete, await bed.RunAsync());
        Assert.Single(bed.Origin.Requests);
    }

    private static Dictionary<string, byte[]> Files() => new() { ["video_720p.mp4"] = Video };

    /// <summary>A peer source as the control plane writes it: with a peer token for t1 signed with that peer's key.</summary>
    private static FillSource Peer(string name, Uri baseUrl, SigningKey peerKey) =>
        new(FillSourceKind.Peer, name, baseUrl, null, PeerToken.Issue(peerKey, "t1", DateTimeOffset.UtcNow.AddMinutes(15)));
}
