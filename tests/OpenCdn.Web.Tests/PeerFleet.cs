using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>
/// The platform with peer-assisted delivery on, one real edge serving 127.0.0.0/8 (so every page on this machine is in
/// one client network), and one short ready title filled to the edge. Pages of one browser, in separate contexts, are
/// the viewers.
/// </summary>
public sealed class PeerFleet : IAsyncLifetime
{
    public const string TitleName = "Shared film";

    public PlatformProcesses Platform { get; } = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Steering:HeartbeatInterval"] = "00:00:01",
        ["OpenCdn:Fleet:SyncInterval"] = "00:00:00.200",
        ["OpenCdn:Fleet:PlanInterval"] = "00:00:02",
        ["OpenCdn:Peers:Enabled"] = "true",
        // A loopback test is not about the uplink: the cap would only decide which viewer serves which segment.
        ["OpenCdn:Peers:UploadBytesPerSecond"] = "50000000",
    });

    public Browser Browser { get; private set; } = null!;

    public EdgeProcess Edge { get; private set; } = null!;

    public TempFolder Masters { get; } = new();

    public string TitleId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        Browser = await Browser.LaunchAsync();
        using var admin = await Platform.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Edge = await EdgeProcess.StartAsync("edge-p", Platform.BaseUrl, token, Platform.BaseUrl);
        var master = await Ffmpeg.GenerateMasterAsync(Masters.Combine("shared.mp4"), 854, 480, "25", 24, audioChannels: 2);
        TitleId = await admin.UploadAsync(TitleName, master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(TitleId, TimeSpan.FromMinutes(4))).Status());
        await Eventually.ValueAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>("/api/v1/edges"),
            fleet => fleet.EnumerateArray().Any(e => e.GetProperty("heartbeat") is { ValueKind: JsonValueKind.Object } beat
                && beat.GetProperty("inventory").EnumerateArray().Any(i => i.GetProperty("titleId").GetString() == TitleId)),
            "the edge holds the title", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500), fleet => fleet.GetRawText());
    }

    public Task<PageSession> OpenAsync(string testName) => Browser.OpenAsync(Platform.BaseUrl, testName);

    /// <summary>A new playback session of the title for a viewer on this machine: its per-session MPD's URL.</summary>
    public async Task<string> ManifestUrlAsync()
    {
        using var viewer = await Platform.ViewerAsync();
        using var response = await viewer.PostAsync($"/api/v1/playback/{TitleId}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manifestUrl").GetString()!;
    }

    /// <summary>
    /// The SHA-256 of each key's byte range (<c>file|first-last</c>), from the files read whole from the edge (not from the
    /// package or a player): what the bytes a player used must equal.
    /// </summary>
    public async Task<Dictionary<string, string>> ReferenceHashesAsync(IEnumerable<string> keys)
    {
        using var viewer = await Platform.ViewerAsync();
        using var response = await viewer.PostAsync($"/api/v1/playback/{TitleId}", null);
        var playback = await response.Content.ReadFromJsonAsync<JsonElement>();
        var baseUrl = new Uri(playback.GetProperty("servers").EnumerateArray().First().GetProperty("baseUrl").GetString()!.TrimEnd('/') + "/");
        using var http = new HttpClient();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct())
        {
            var parts = key.Split('|', '-');
            if (!files.TryGetValue(parts[0], out var bytes))
            {
                files[parts[0]] = bytes = await http.GetByteArrayAsync(new Uri(baseUrl, parts[0]));
            }
            var first = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var last = int.Parse(parts[2], CultureInfo.InvariantCulture);
            hashes[key] = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(first, last - first + 1)));
        }
        return hashes;
    }

    public async Task DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        await Platform.DisposeAsync();
        Masters.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PeerFleetCollection : ICollectionFixture<PeerFleet>
{
    public const string Name = "peer fleet";
}
