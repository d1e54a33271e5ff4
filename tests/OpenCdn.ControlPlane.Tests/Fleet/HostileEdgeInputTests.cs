using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using OpenCdn.ControlPlane.Tests.Playback;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>
/// Thousands of random and hostile heartbeats and registrations against the real control plane: none is answered with a
/// 5xx, and steering for the healthy edges' clients stays exactly what it was. <c>OPENCDN_HOSTILE_EDGE_MESSAGES</c> sets
/// how many (10,000 by default; run 100,000 or more by hand); <c>OPENCDN_HOSTILE_EDGE_SEED</c> replays a failure.
/// </summary>
public sealed class HostileEdgeInputTests : IAsyncLifetime
{
    private const int CheckEvery = 500;
    private const string HealthyClient = "127.0.80.9";

    private readonly PlaybackBed _bed = new();
    private string _title = "";
    private string[] _steered = [];
    private PlaybackBed.Edge _rogue = null!;
    private HttpClient _forged = null!;
    private string[] _healthy = [];
    private string _bootstrap = "";
    private long _sent;

    public async Task InitializeAsync()
    {
        _title = await _bed.AddReadyTitleAsync();
        var healthy = new[]
        {
            await _bed.EnrollAsync(PlaybackBed.Embedded("near", "127.0.80.0/24")),
            await _bed.EnrollAsync(PlaybackBed.Embedded("wide", "127.0.0.0/16")),
            await _bed.EnrollAsync(PlaybackBed.Ix("ix", 48.85, 2.35)),
        };
        foreach (var edge in healthy)
        {
            await PlaybackBed.BeatAsync(edge, [_title]);
        }
        _healthy = [.. healthy.Select(e => e.Id)];
        _rogue = await _bed.EnrollAsync(PlaybackBed.Embedded("rogue", "127.0.81.0/24"));
        _forged = _bed.App.WithBearer(_rogue.Id + ".forged-secret");
        _bootstrap = await BootstrapTokenAsync();
        await _bed.SyncAsync();
        _steered = await SteeredAsync();
    }

    public async Task DisposeAsync()
    {
        _forged.Dispose();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task HostileHeartbeatsAndRegistrations_NeverGet5xx_AndNeverMoveSteeringForHealthyEdges()
    {
        Assert.Equal([.. _healthy, "origin"], _steered);

        await HostileEdgeMessages.All(_title).SampleAsync(SendAsync, iter: Iterations(), threads: 2,
            seed: Environment.GetEnvironmentVariable("OPENCDN_HOSTILE_EDGE_SEED"));

        Assert.Equal(_steered, await SteeredAsync());
        using var admin = await _bed.App.AdminAsync();
        using var fleet = await admin.GetAsync("/api/v1/edges");
        Assert.Equal(HttpStatusCode.OK, fleet.StatusCode);
    }

    private async Task SendAsync(HostileMessage message)
    {
        using var content = new StringContent(message.Json, Encoding.UTF8, "application/json");
        using var response = message.Target switch
        {
            HostileTarget.OwnHeartbeat => await _rogue.Client.PostAsync($"/api/v1/edges/{_rogue.Id}/heartbeat", content),
            HostileTarget.OthersHeartbeat => await _rogue.Client.PostAsync($"/api/v1/edges/{_healthy[0]}/heartbeat", content),
            HostileTarget.StrangeHeartbeat => await _rogue.Client.PostAsync(
                $"/api/v1/edges/{Uri.EscapeDataString(message.EdgeId!)}/heartbeat", content),
            HostileTarget.ForgedHeartbeat => await _forged.PostAsync($"/api/v1/edges/{_rogue.Id}/heartbeat", content),
            _ => await RegisterAsync(content),
        };
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {message}: {await response.Content.ReadAsStringAsync()}");
        if (message.Target is HostileTarget.OthersHeartbeat or HostileTarget.ForgedHeartbeat)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{response.StatusCode} for {message}");
        }
        if (Interlocked.Increment(ref _sent) % CheckEvery == 0)
        {
            _bootstrap = await BootstrapTokenAsync(); // registrations that pass spend uses; a new token per round keeps them passing
            await _bed.SyncAsync();
            var steered = await SteeredAsync();
            Assert.True(_steered.SequenceEqual(steered), $"after {_sent} messages steering moved to [{string.Join(", ", steered)}]");
        }
    }

    private async Task<HttpResponseMessage> RegisterAsync(HttpContent content)
    {
        using var client = _bed.App.WithBearer(Volatile.Read(ref _bootstrap));
        return await client.PostAsync("/api/v1/edges/register", content);
    }

    private async Task<string[]> SteeredAsync()
    {
        using var viewer = await _bed.ViewerFromAsync(HealthyClient);
        var (status, body) = await PlaybackBed.PlayAsync(viewer, _title);
        Assert.Equal(HttpStatusCode.OK, status);
        return PlaybackBed.ServerIds(body);
    }

    private async Task<string> BootstrapTokenAsync()
    {
        using var admin = await _bed.App.AdminAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1000 });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static long Iterations() =>
        long.TryParse(Environment.GetEnvironmentVariable("OPENCDN_HOSTILE_EDGE_MESSAGES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0
            ? n
            : 10_000;
}
