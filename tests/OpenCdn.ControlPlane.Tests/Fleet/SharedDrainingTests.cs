using System.Net;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;
using static OpenCdn.ControlPlane.Tests.Fleet.TwoInstances;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>An admin drains an edge, and returns it to service, on one instance; steering on every instance follows.</summary>
public sealed class SharedDrainingTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ADrainAndAnUndrainOnOneInstance_AreFollowedByTheOthersSteering()
    {
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        var title = await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("maintained", "127.0.97.0/24"));
        await PlaybackBed.BeatAsync(edge, [title]);
        var b = pair.StartB();
        await b.SyncAsync();
        var before = await ServersOnAsync(b, title);

        using var admin = await a.App.AdminAsync();
        using (var drain = await admin.PostAsync($"/api/v1/edges/{edge.Id}/drain", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, drain.StatusCode);
        }
        await b.SyncAsync();
        var drained = await ServersOnAsync(b, title);

        using (var undrain = await admin.PostAsync($"/api/v1/edges/{edge.Id}/undrain", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, undrain.StatusCode);
        }
        await PlaybackBed.BeatAsync(edge, [title]); // through A; the edge says it serves again
        await b.SyncAsync();

        Assert.Equal([edge.Id, "origin"], before);
        Assert.Equal(["origin"], drained);
        Assert.Equal([edge.Id, "origin"], await ServersOnAsync(b, title));
    }

    private static async Task<string[]> ServersOnAsync(PlaybackBed instance, string title)
    {
        using var viewer = await instance.ViewerFromAsync("127.0.97.5");
        var (status, body) = await PlaybackBed.PlayAsync(viewer, title);
        Assert.Equal(HttpStatusCode.OK, status);
        return PlaybackBed.ServerIds(body);
    }
}
