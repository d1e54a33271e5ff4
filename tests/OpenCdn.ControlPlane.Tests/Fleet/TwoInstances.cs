using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>
/// Two control-plane instances on one PostgreSQL database (a fresh one) and one data folder (keys and origin), as a
/// scaled-out deployment runs them. Each has its own clock, both starting at one instant (rows one writes carry its
/// time, and the other reads rows changed since its own time); passes run when the test says.
/// </summary>
internal sealed class TwoInstances : IAsyncDisposable
{
    private readonly TempFolder _data = new();
    private readonly Dictionary<string, string> _settings;
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    private TwoInstances(Dictionary<string, string> settings)
    {
        _settings = settings;
    }

    public PlaybackBed A { get; private set; } = null!;

    public PlaybackBed? B { get; private set; }

    /// <summary>Starts A (which takes the planning lease at start); B starts when <see cref="StartBAsync"/> is called.</summary>
    public static async Task<TwoInstances> StartAsync(PostgresServer postgres)
    {
        var pair = new TwoInstances(new Dictionary<string, string> { ["ConnectionStrings:Catalog"] = await postgres.CreateDatabaseAsync() });
        pair._settings["OpenCdn:DataFolder"] = pair._data.Path;
        pair.A = new PlaybackBed(pair._settings, pair._start);
        return pair;
    }

    public PlaybackBed StartB()
    {
        B = new PlaybackBed(_settings, _start);
        return B;
    }

    public static PlanningLease Lease(PlaybackBed bed) => bed.App.Services.GetRequiredService<PlanningLease>();

    /// <summary>The fill-plan version a heartbeat through <paramref name="edge"/>'s instance announces.</summary>
    public static async Task<int> AnnouncedAsync(PlaybackBed.Edge edge, string[] holds) =>
        (await PlaybackBed.BeatAsync(edge, holds)).GetProperty("fillPlanVersion").GetInt32();

    /// <summary>The plan's version and items (title, version, files), without the sources' fresh URLs and tokens.</summary>
    public static async Task<(int Version, string Items)> PlanAsync(PlaybackBed.Edge edge)
    {
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        var items = plan.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("titleId").GetString()}/v{i.GetProperty("version").GetInt32()}:{i.GetProperty("files").GetRawText()}");
        return (plan.GetProperty("version").GetInt32(), string.Join("\n", items));
    }

    public static async Task<string[]> PlannedTitlesAsync(PlaybackBed.Edge edge)
    {
        var plan = await edge.Client.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge.Id}/fill-plan");
        return [.. plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("titleId").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        await A.DisposeAsync();
        _data.Dispose();
    }
}
