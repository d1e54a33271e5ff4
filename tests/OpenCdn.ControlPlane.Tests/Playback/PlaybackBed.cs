using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>
/// The control plane on real sockets with ready titles seeded straight into its catalog and origin, edges enrolled and
/// heartbeating through the real API, and viewers whose connections come from chosen 127.x.y.z (or ::1) addresses.
/// </summary>
public sealed class PlaybackBed : IAsyncDisposable
{
    private readonly ControlPlaneApp _app;
    private string? _viewerToken;

    public PlaybackBed(IReadOnlyDictionary<string, string>? settings = null, DateTimeOffset? clockStart = null)
    {
        _app = new ControlPlaneApp(settings ?? new Dictionary<string, string>(), realSockets: true, clockStart);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = new Uri(addresses.First(a => a.Contains("127.0.0.1", StringComparison.Ordinal)));
        V6BaseUrl = new Uri(addresses.First(a => a.Contains("[::1]", StringComparison.Ordinal)));
    }

    public ControlPlaneApp App => _app;

    public Uri BaseUrl { get; }

    public Uri V6BaseUrl { get; }

    /// <summary>A ready title with one small video file and one audio file, both really in origin.</summary>
    public Task<string> AddReadyTitleAsync(int version = 1) =>
        AddReadyTitleAsync(version, ("video_240p.mp4", MediaKind.Video, "avc1.640015"), ("audio_eng.mp4", MediaKind.Audio, "mp4a.40.2"));

    /// <summary>A ready title with these files (4 KiB each), all really in origin.</summary>
    public async Task<string> AddReadyTitleAsync(int version, params (string File, MediaKind Kind, string Codecs)[] files)
    {
        var titles = _app.Services.GetRequiredService<TitleStore>();
        var origin = _app.Services.GetRequiredService<IObjectStore>();
        var title = await titles.CreateAsync("seeded", CancellationToken.None);
        Assert.True(await titles.MarkUploadingAsync(title.Id, CancellationToken.None));
        Assert.True(await titles.MarkQueuedAsync(title.Id, OriginKeys.Master(title.Id, "master.mp4"), 1, CancellationToken.None));
        Assert.True(await titles.MarkTranscodingAsync(title.Id, CancellationToken.None));
        var representations = new List<Representation>();
        foreach (var (file, kind, codecs) in files)
        {
            var bytes = RandomNumberGenerator.GetBytes(4096);
            await origin.PutAsync(OriginKeys.PackageFile(title.Id, version, file), new MemoryStream(bytes), CancellationToken.None);
            representations.Add(new Representation(
                Path.GetFileNameWithoutExtension(file), kind, file, kind == MediaKind.Video ? "video/mp4" : "audio/mp4",
                codecs, kind == MediaKind.Video ? 300_000 : 128_000, bytes.Length,
                Convert.ToHexStringLower(SHA256.HashData(bytes)), new ByteSpan(0, 99), new ByteSpan(100, 199), 12800, 0,
                Width: kind == MediaKind.Video ? 426 : null, Height: kind == MediaKind.Video ? 240 : null));
        }
        var package = new PackageManifest(title.Id, version, 4, representations);
        await origin.PutAsync(
            OriginKeys.Manifest(title.Id, version), new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(package, PackageJson.Options)),
            CancellationToken.None);
        Assert.True(await titles.MarkReadyAsync(title.Id, version, CancellationToken.None));
        return title.Id;
    }

    public static RegisterEdgeRequest Embedded(string name, params string[] prefixes) => new(
        name, new Uri($"http://{name}.edges.test:8080/"), EdgeSiteKind.Embedded, 64500, "ISP A", null, null, prefixes,
        100L << 30, 10_000_000_000, FillWindow.Default, 0);

    public static RegisterEdgeRequest Ix(string name, double latitude, double longitude) => new(
        name, new Uri($"http://{name}.edges.test:8080/"), EdgeSiteKind.IX, null, null, latitude, longitude, [],
        100L << 30, 10_000_000_000, FillWindow.Default, 0);

    /// <summary>Enrolls an edge with a fresh bootstrap token; returns its id and a client carrying its credential.</summary>
    public async Task<Edge> EnrollAsync(RegisterEdgeRequest registration)
    {
        using var admin = await _app.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var client = _app.WithBearer(bootstrap);
        using var response = await client.PostAsJsonAsync("/api/v1/edges/register", registration, JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Edge(body.GetProperty("edgeId").GetString()!, _app.WithBearer(body.GetProperty("credential").GetString()!));
    }

    /// <summary>An edge enrolled before a restart on the same data, now speaking to this bed.</summary>
    public Edge Rejoin(Edge edge) => edge with { Client = _app.WithBearer(edge.Client.DefaultRequestHeaders.Authorization!.Parameter!) };

    /// <summary>A heartbeat saying the edge holds <paramref name="titles"/> (version 1), with the given egress.</summary>
    public static async Task<JsonElement> BeatAsync(Edge edge, string[] titles, long egressBitsPerSecond = 1_000_000)
    {
        var heartbeat = new EdgeHeartbeat(EdgeHealth.Healthy, 3, egressBitsPerSecond, 50L << 30, [.. titles.Select(t => new InventoryItem(t, 1))],
            new FillProgress(0, false, 0, 0, 0, 0));
        using var response = await edge.Client.PostAsJsonAsync($"/api/v1/edges/{edge.Id}/heartbeat", heartbeat, JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Applies what changed (a sync pass, as the timer would) so the next decision sees it.</summary>
    public Task SyncAsync() => _app.Services.GetRequiredService<FleetSync>().SyncAsync(CancellationToken.None);

    /// <summary>A viewer whose connections come from <paramref name="source"/> (any 127.x.y.z, or ::1).</summary>
    public async Task<HttpClient> ViewerFromAsync(string source)
    {
        _viewerToken ??= await _app.TokenAsync("viewer");
        var client = SourceAddress.Client(source, source.Contains(':', StringComparison.Ordinal) ? V6BaseUrl : BaseUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _viewerToken);
        return client;
    }

    /// <summary>Asks to play <paramref name="titleId"/>; returns the status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PlayAsync(HttpClient viewer, string titleId)
    {
        using var response = await viewer.PostAsync($"/api/v1/playback/{titleId}", null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public static string[] ServerIds(JsonElement playback) =>
        [.. playback.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    public async Task<JsonElement> SteeringStatsAsync()
    {
        using var admin = await _app.AdminAsync();
        return await admin.GetFromJsonAsync<JsonElement>("/api/v1/stats/steering");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    /// <summary>An enrolled edge: its id, and a client that speaks with its credential.</summary>
    public sealed record Edge(string Id, HttpClient Client);
}
