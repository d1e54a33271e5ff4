using System.Net;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Keys;
using OpenCdn.ControlPlane.Tests.Catalog;
using OpenCdn.ControlPlane.Tests.Playback;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Keys;

/// <summary>
/// Two control-plane instances with data folders of their own on one PostgreSQL catalog and one key-encryption key act
/// as one: each accepts what the other signed, and delivery keys rotate once for both.
/// </summary>
public sealed class SharedKeysTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private readonly string _kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task AJwtIssuedByOneInstance_IsAcceptedByTheOther_AndNeitherKeepsKeyFiles()
    {
        var settings = await SharedSettingsAsync();
        using var a = new ControlPlaneApp(settings, realSockets: false);
        using var b = new ControlPlaneApp(settings, realSockets: false);
        var token = await a.TokenAsync("viewer");

        using var atB = await b.WithBearer(token).GetAsync("/api/v1/titles");

        Assert.Equal(HttpStatusCode.OK, atB.StatusCode);
        Assert.Empty(Directory.GetFiles(a.Data.Combine("keys")));
        Assert.Empty(Directory.GetFiles(b.Data.Combine("keys")));
    }

    [Fact]
    public async Task APlaybackSessionStartedAtOneInstance_PlaysThroughTheOther()
    {
        using var origin = new TempFolder();
        var settings = new Dictionary<string, string>(await SharedSettingsAsync()) { ["OpenCdn:Storage:Root"] = origin.Path };
        await using var a = new PlaybackBed(settings);
        await using var b = new PlaybackBed(settings);
        var title = await a.AddReadyTitleAsync();
        var edge = await a.EnrollAsync(PlaybackBed.Embedded("near", "127.0.80.0/24"));
        await PlaybackBed.BeatAsync(edge, [title]);
        await a.SyncAsync();
        await b.SyncAsync();
        using var viewer = await a.ViewerFromAsync("127.0.80.7");
        var (status, playback) = await PlaybackBed.PlayAsync(viewer, title);
        Assert.Equal(HttpStatusCode.OK, status);
        using var atB = b.App.CreateClient();

        using var manifest = await atB.GetAsync(new Uri(playback.GetProperty("manifestUrl").GetString()!).PathAndQuery);
        using var steering = await atB.GetAsync(new Uri(playback.GetProperty("steeringUrl").GetString()!).PathAndQuery);
        var servers = playback.GetProperty("servers");
        var edgeToken = servers[0].GetProperty("baseUrl").GetString()!.Split("/c/")[1].Split('/')[0];
        var bKeys = b.App.Services.GetRequiredService<DeliveryKeyRing>();
        var originBase = new Uri(servers[servers.GetArrayLength() - 1].GetProperty("baseUrl").GetString()!);
        using var request = new HttpRequestMessage(HttpMethod.Get, originBase.PathAndQuery + "video_240p.mp4");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        using var fromOriginAtB = await atB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, steering.StatusCode);
        Assert.Equal(edge.Id, servers[0].GetProperty("id").GetString());
        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(
            edgeToken, title, b.App.Clock.GetUtcNow(), id => bKeys.Find(DeliveryAudience.Edge(edge.Id), id)));
        Assert.Equal(HttpStatusCode.PartialContent, fromOriginAtB.StatusCode);
    }

    [Fact]
    public async Task ADeliveryKeyRotation_AcrossInstances_MakesExactlyOneNewVersion_ThatBothUse()
    {
        var settings = await SharedSettingsAsync();
        using var a = new ControlPlaneApp(settings, realSockets: false);
        using var b = new ControlPlaneApp(settings, realSockets: false);
        var (ringA, ringB) = (a.Services.GetRequiredService<DeliveryKeyRing>(), b.Services.GetRequiredService<DeliveryKeyRing>());
        var edge = DeliveryAudience.Edge("e000000000001");
        var first = ringA.Current(edge).Id;
        Assert.Equal(first, ringB.Current(edge).Id);
        var beforeRotation = TimeSpan.FromDays(7) - TimeSpan.FromSeconds(30); // default rotation, inside the lead of two checks
        a.Clock.Advance(beforeRotation);
        b.Clock.Advance(beforeRotation);

        await Task.WhenAll(ringA.RefreshAsync(default), ringB.RefreshAsync(default));
        a.Clock.Advance(TimeSpan.FromSeconds(31));
        b.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal([1L, 2L], await VersionsAsync(settings));
        Assert.NotEqual(first, ringA.Current(edge).Id);
        Assert.Equal(ringA.Current(edge).Id, ringB.Current(edge).Id);
        Assert.Equal(ringA.Current(edge).Secret, ringB.Current(edge).Secret);
    }

    [Fact]
    public async Task AKeyRotatedByOneInstance_ReachesTheOther_WithinOneCheck()
    {
        var settings = await SharedSettingsAsync();
        using var a = new ControlPlaneApp(settings, realSockets: false);
        using var b = new ControlPlaneApp(settings, realSockets: false);
        var (ringA, ringB) = (a.Services.GetRequiredService<DeliveryKeyRing>(), b.Services.GetRequiredService<DeliveryKeyRing>());
        var edge = DeliveryAudience.Edge("e000000000001");
        var first = ringB.Current(edge).Id;
        var beforeRotation = TimeSpan.FromDays(7) - TimeSpan.FromSeconds(90);
        a.Clock.Advance(beforeRotation);
        await ringA.RefreshAsync(default); // A inserts the next key; B is never asked to look
        a.Clock.Advance(TimeSpan.FromMinutes(2));
        var next = ringA.Current(edge).Id;

        // Past the rotation, B has no successor of its own to switch to: only its periodic check can bring it A's key.
        b.Clock.Advance(beforeRotation + TimeSpan.FromMinutes(2));

        await Eventually.TrueAsync(() =>
        {
            // Its check timer starts with the host, on a thread of its own: should it have missed the jump, one more check.
            if (ringB.Current(edge).Id == next)
            {
                return true;
            }
            b.Clock.Advance(TimeSpan.FromMinutes(1));
            return false;
        }, "B took A's new key at its check");
        Assert.NotEqual(first, next);
        Assert.Equal([1L, 2L], await VersionsAsync(settings));
    }

    [Fact]
    public async Task AnotherKeyEncryptionKey_StopsTheStart_WithAMessageSayingSo()
    {
        var settings = await SharedSettingsAsync();
        using (var a = new ControlPlaneApp(settings, realSockets: false))
        {
            _ = a.Services; // started: the keys are in the catalog
        }
        var wrong = new Dictionary<string, string>(settings)
        {
            ["OpenCdn:Keys:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        using var b = new ControlPlaneApp(wrong, realSockets: false);

        var error = Assert.ThrowsAny<Exception>(() => b.Services);

        Assert.Contains("The configured OpenCdn:Keys:EncryptionKey does not open the keys in the catalog", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKeysAreStoredInTheClear()
    {
        var settings = await SharedSettingsAsync();
        using var a = new ControlPlaneApp(settings, realSockets: false);
        var keys = a.Services.GetRequiredService<PlatformKeys>();
        var delivery = (await a.Services.GetRequiredService<SecretStore>().ListAsync(DeliveryKeyRing.SecretName, default))[0];

        await using var database = CatalogDatabase.Create(settings["ConnectionStrings:Catalog"]);
        await using var connection = await database.OpenAsync(default);
        var rows = (await connection.QueryAsync<string>("SELECT sealed FROM secrets")).Select(Convert.FromBase64String).ToList();

        Assert.Equal(4, rows.Count);
        foreach (var key in new[] { keys.Jwt, keys.Session, keys.OriginUrl, delivery.Value })
        {
            Assert.All(rows, row => Assert.Equal(-1, row.AsSpan().IndexOf(key.AsSpan(0, 8))));
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> SharedSettingsAsync() => new Dictionary<string, string>
    {
        ["ConnectionStrings:Catalog"] = await postgres.CreateDatabaseAsync(),
        ["OpenCdn:Keys:EncryptionKey"] = _kek,
    };

    private static async Task<List<long>> VersionsAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var database = CatalogDatabase.Create(settings["ConnectionStrings:Catalog"]);
        await using var connection = await database.OpenAsync(default);
        return [.. await connection.QueryAsync<long>("SELECT version FROM secrets WHERE name = 'delivery-root' ORDER BY version")];
    }

    private static string Messages(Exception error) =>
        error.InnerException is null ? error.Message : $"{error.Message} | {Messages(error.InnerException)}";
}
