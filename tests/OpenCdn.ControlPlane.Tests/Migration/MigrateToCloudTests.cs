using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.Contracts;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Migration;

/// <summary>
/// An embedded installation (data folder, SQLite, files) moved by <c>migrate</c> into cloud mode (PostgreSQL, S3, a KEK of
/// its own): a cloud control plane then lists its titles, serves its packages from the bucket and accepts what it issued.
/// </summary>
public sealed class MigrateToCloudTests : IAsyncLifetime
{
    private readonly CloudServices _cloud = new();
    private readonly PlatformProcesses _embedded = new();
    private readonly TempFolder _masters = new();
    private PlatformProcesses? _migrated;

    public async Task InitializeAsync()
    {
        await _cloud.InitializeAsync();
        await _embedded.InitializeAsync();
    }

    [Fact]
    public async Task Migrate_EmbeddedInstallation_ServesItsTitlesPackagesTokensAndEdgesInCloudMode_AndARerunCopiesNothing()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("before.mp4"), 320, 240, "25", 2, audioChannels: 2);
        using var admin = await _embedded.AdminAsync();
        var id = await admin.UploadAsync("Made before the move", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3))).Status());
        await admin.CreateUploadAsync(await admin.CreateTitleAsync("Upload left halfway"), 1000, "halfway.mp4");
        var viewerToken = await _embedded.TokenAsync("viewer", PlatformProcesses.ViewerPassword);
        var (edgeId, edgeCredential) = await EnrolEdgeAsync(admin);
        await _embedded.Worker!.KillAsync();
        await _embedded.ControlPlane.KillAsync();

        var (exit, first) = await MigrationRun.RunAsync(_cloud.Settings, "--from", _embedded.Data.Path);
        Assert.True(exit == 0, first);
        Assert.Matches(@"keys: [1-9]\d* copied, 0 already there \(sealed under the configured OpenCdn:Keys:EncryptionKey\)", first);
        Assert.Matches(@"origin: [1-9]\d* objects \([1-9]\d* bytes\) copied, 0 \(0 bytes\) already there", first);
        Assert.Contains("titles: 2 rows copied, 0 already there", first, StringComparison.Ordinal);
        Assert.Contains("edges: 1 rows copied, 0 already there", first, StringComparison.Ordinal);
        Assert.Contains("1 pending uploads staged on the old disk", first, StringComparison.Ordinal);
        Assert.DoesNotContain("leases:", first, StringComparison.Ordinal);

        var (again, second) = await MigrationRun.RunAsync(_cloud.Settings, "--from", _embedded.Data.Path);
        Assert.True(again == 0, second);
        Assert.Matches(@"keys: 0 copied, [1-9]\d* already there", second);
        Assert.Matches(@"origin: 0 objects \(0 bytes\) copied, [1-9]\d* \([1-9]\d* bytes\) already there", second);
        Assert.Contains("titles: 0 rows copied, 2 already there", second, StringComparison.Ordinal);
        Assert.Contains("edges: 0 rows copied, 1 already there", second, StringComparison.Ordinal);

        _migrated = PlatformProcesses.With(_cloud.Settings);
        await _migrated.InitializeAsync();
        using var viewer = _migrated.Authorized(viewerToken); // issued by the embedded control plane: its JWT key came along
        var titles = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/titles");
        var title = Assert.Single(titles.EnumerateArray());
        Assert.Equal((id, "ready", 1), (title.GetProperty("id").GetString(), title.Status(), title.GetProperty("packageVersion").GetInt32()));
        using var s3 = _cloud.S3.CreateClient();
        var package = JsonSerializer.Deserialize<PackageManifest>(await ReadAsync(s3, $"titles/{id}/v1/package.json"), PackageJson.Options)!;
        Assert.NotEmpty(package.Representations);
        foreach (var representation in package.Files())
        {
            var bytes = await ReadAsync(s3, $"titles/{id}/v1/{representation.Name}");
            Assert.Equal(representation.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        using var edge = _migrated.Authorized(edgeCredential);
        using var plan = await edge.GetAsync($"/api/v1/edges/{edgeId}/fill-plan");
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);

        var (refused, other) = await MigrationRun.RunAsync(_cloud.Settings, "--from", await OtherInstallationAsync());
        Assert.Equal(2, refused);
        Assert.Contains("migrate: refused: the target catalog already holds a different key 'jwt' version 1", other, StringComparison.Ordinal);
        using var stillAccepted = await viewer.GetAsync("/api/v1/titles");
        Assert.Equal(HttpStatusCode.OK, stillAccepted.StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_migrated is not null)
        {
            await _migrated.DisposeAsync();
        }
        await _embedded.DisposeAsync();
        await _cloud.DisposeAsync();
        _masters.Dispose();
    }

    private async Task<(string EdgeId, string Credential)> EnrolEdgeAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var enrol = _embedded.Authorized(bootstrap);
        using var registered = await enrol.PostAsJsonAsync("/api/v1/edges/register", new RegisterEdgeRequest(
            "moved-edge", new Uri("http://127.0.0.5:8080/"), EdgeSiteKind.IX, null, null, 50.1, 8.7, [], 1L << 40, 10_000_000_000,
            FillWindow.Default, 0), ContractJson.Options);
        registered.EnsureSuccessStatusCode();
        var credential = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString()!;
        return (credential.Split('.')[0], credential);
    }

    /// <summary>Another embedded data folder, whose JWT key (under its own generated KEK) is not the one migrated first.</summary>
    private async Task<string> OtherInstallationAsync()
    {
        var folder = _masters.Combine("other");
        var kek = KeyEncryptionKeySource.Resolve(new KeysOptions(), folder);
        await using var catalog = CatalogDatabase.Create($"Data Source={Path.Combine(folder, "catalog.db")}");
        await catalog.MigrateAsync(CancellationToken.None);
        await new SecretStore(catalog, kek).TryAddAsync("jwt", 1, DateTimeOffset.UtcNow, RandomNumberGenerator.GetBytes(32), CancellationToken.None);
        return folder;
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string key)
    {
        using var response = await s3.GetObjectAsync(S3Emulator.Bucket, key);
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
