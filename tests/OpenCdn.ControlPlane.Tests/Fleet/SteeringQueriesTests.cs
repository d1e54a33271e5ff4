using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Contracts.Edges;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;
using static OpenCdn.ControlPlane.Tests.Fleet.TwoInstances;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>
/// A steering decision reads the in-memory snapshot only: with two instances on PostgreSQL, the planning lease and the
/// shared plans on, the POST of a playback session makes no database command on either instance. Commands are seen
/// through Npgsql's activities, tied to the request by the trace id it was sent with.
/// </summary>
public sealed class SteeringQueriesTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly ConcurrentBag<(ActivityTraceId Trace, string Command)> _commands = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
        Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task APlaybackDecision_MakesNoDatabaseCommand_WhileAHeartbeatMakesSome()
    {
        _listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == "Npgsql")
            {
                _commands.Add((activity.TraceId, activity.DisplayName));
            }
        };
        ActivitySource.AddActivityListener(_listener);
        await using var pair = await StartAsync(postgres);
        var a = pair.A;
        var b = pair.StartB();
        var title = await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("steered", "127.0.101.0/24"));
        await PlaybackBed.BeatAsync(edge, [title]);
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.True(Lease(a).IsHeld);

        foreach (var bed in new[] { a, b })
        {
            using var viewer = await bed.ViewerFromAsync("127.0.101.20");
            var decision = ActivityTraceId.CreateRandom();
            using var play = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/playback/{title}");
            play.Headers.Add("traceparent", $"00-{decision}-{ActivitySpanId.CreateRandom()}-01");
            using var played = await viewer.SendAsync(play);
            var body = await played.Content.ReadFromJsonAsync<JsonElement>();

            var beat = ActivityTraceId.CreateRandom();
            var onBed = bed.Rejoin(edge);
            var state = new EdgeHeartbeat(
                EdgeHealth.Healthy, 3, 1_000_000, 50L << 30, [new InventoryItem(title, 1)], new FillProgress(0, false, 0, 0, 0, 0));
            using var heartbeat = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/edges/{edge.Id}/heartbeat")
            {
                Content = JsonContent.Create(state, options: JsonSerializerOptions.Web),
            };
            heartbeat.Headers.Add("traceparent", $"00-{beat}-{ActivitySpanId.CreateRandom()}-01");
            using var beaten = await onBed.Client.SendAsync(heartbeat);

            Assert.Equal(HttpStatusCode.OK, played.StatusCode);
            Assert.Equal(edge.Id, PlaybackBed.ServerIds(body)[0]);
            Assert.Equal(HttpStatusCode.OK, beaten.StatusCode);
            Assert.Empty(_commands.Where(c => c.Trace == decision).Select(c => c.Command));
            Assert.Contains(_commands, c => c.Trace == beat); // the same counting sees the heartbeat's writes
        }
    }

    public void Dispose() => _listener.Dispose();
}
