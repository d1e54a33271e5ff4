using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.ControlPlane;

/// <summary>
/// The whole loop with nothing faked: the real control plane and ingest worker transcode a generated master, a real
/// edge registers with a bootstrap token, is planned the title, fills it from origin, reports it, and a viewer inside
/// the edge's prefix is steered to it and plays its bytes with the session's token.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class RealControlPlaneTests : IAsyncLifetime
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private readonly PlatformProcesses _platform = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
        ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:02", // the edge beats every 200 ms; down after 6 s of silence
    });
    private readonly TempFolder _work = new();
    private EdgeHost? _edge;

    public Task InitializeAsync() => _platform.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
        await _platform.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task AnEdgeFilledByThePlan_ServesTheViewersItsPrefixCovers_WithTheSessionsToken()
    {
        using var admin = await _platform.AdminAsync();
        var master = await Ffmpeg.GenerateMasterAsync(Path.Combine(_work.Path, "master.mp4"), 640, 360, "25", 6, 2);
        var titleId = await admin.UploadAsync("edge journey", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(titleId, TimeSpan.FromMinutes(3))).Status());

        _edge = await StartEdgeAsync(admin);
        var edgeId = await WaitForInventoryAsync(admin, titleId, TimeSpan.FromSeconds(60));

        using var viewer = SourceAddress.Client("127.0.10.7", _platform.BaseUrl);
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await _platform.TokenAsync("viewer", PlatformProcesses.ViewerPassword));
        var playback = await PlayOnceSteeringKnowsAsync(viewer, titleId, edgeId);
        var mpd = XDocument.Parse(await viewer.GetStringAsync(playback.GetProperty("manifestUrl").GetString())).Root!;
        var edgeBase = mpd.Elements(Dash + "BaseURL").First();
        var file = mpd.Descendants(Dash + "Representation").First().Element(Dash + "BaseURL")!.Value;
        var originBase = mpd.Elements(Dash + "BaseURL").Last();

        Assert.Equal(edgeId, edgeBase.Attribute("serviceLocation")!.Value);
        Assert.Equal("origin", originBase.Attribute("serviceLocation")!.Value);
        var fromEdge = await RangeAsync(new Uri(new Uri(edgeBase.Value), file));
        var fromOrigin = await RangeAsync(new Uri(new Uri(originBase.Value), file));
        Assert.Equal(HttpStatusCode.PartialContent, fromEdge.Status);
        Assert.Equal(fromOrigin.Bytes, fromEdge.Bytes);
        var foreign = await RangeAsync(new Uri(edgeBase.Value.Replace($"/{titleId}/", "/another-title/", StringComparison.Ordinal) + file));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
    }

    private async Task<EdgeHost> StartEdgeAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var url = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        return await EdgeHost.StartAsync(Path.Combine(_work.Path, "edge"), new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = url,
            ["PublicUrl"] = url + "/",
            ["Name"] = "edge-in-isp-a",
            ["ControlPlaneUrl"] = _platform.BaseUrl.AbsoluteUri,
            ["BootstrapToken"] = bootstrap,
            ["ClientPrefixes:0"] = "127.0.10.0/24",
            ["Isp"] = "ISP A",
            ["HeartbeatInterval"] = "00:00:00.200",
            ["FillPollInterval"] = "00:00:00.500",
            ["FillRateBytesPerSecond"] = "0",
        });
    }

    /// <summary>Waits until the fleet view shows an edge reporting <paramref name="titleId"/>; returns its id.</summary>
    private static async Task<string> WaitForInventoryAsync(HttpClient admin, string titleId, TimeSpan timeout)
    {
        var fleet = await Eventually.ValueAsync(() => admin.GetFromJsonAsync<JsonElement[]>("/api/v1/edges"),
            edges => edges?.Any(e => Holds(e, titleId)) == true, $"an edge reported holding {titleId}", timeout, TimeSpan.FromMilliseconds(250),
            edges => string.Join("\n", edges?.Select(e => e.GetRawText()) ?? []));
        return fleet!.First(e => Holds(e, titleId)).GetProperty("id").GetString()!;
    }

    private static bool Holds(JsonElement edge, string titleId) =>
        edge.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
        && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == titleId);

    /// <summary>Starts sessions until one names the edge first: the fleet view can be a sync pass (200 ms here) ahead of steering.</summary>
    private static async Task<JsonElement> PlayOnceSteeringKnowsAsync(HttpClient viewer, string titleId, string edgeId)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var started = await viewer.PostAsync($"/api/v1/playback/{titleId}", null);
            var playback = await started.Content.ReadFromJsonAsync<JsonElement>();
            if (playback.GetProperty("servers")[0].GetProperty("id").GetString() == edgeId || attempt == 50)
            {
                return playback;
            }
            await Task.Delay(200);
        }
    }

    private static async Task<(HttpStatusCode Status, byte[] Bytes)> RangeAsync(Uri url)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, 1023);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }
}
