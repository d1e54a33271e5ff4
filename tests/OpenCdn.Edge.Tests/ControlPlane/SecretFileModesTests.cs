using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.ControlPlane;

/// <summary>
/// After an up-style start (the real control plane and worker, then an edge enrolled with a bootstrap token), every key,
/// credential and identity file is 0600 and the data folders 0700, on both sides; files left wider are tightened.
/// </summary>
[Collection(SerialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are a Unix matter
public sealed class SecretFileModesTests : IAsyncLifetime
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;
    private readonly PlatformProcesses _platform = new();
    private readonly TempFolder _work = new();
    private EdgeHost? _edge;

    public async Task InitializeAsync()
    {
        // What a copy or a restore left: a world-readable data folder and key-encryption key.
        var keys = Directory.CreateDirectory(_platform.Data.Combine("keys")).FullName;
        var kek = Path.Combine(keys, "key-encryption.key");
        await File.WriteAllBytesAsync(kek, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(kek, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(
            _platform.Data.Path,
            OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await _platform.InitializeAsync();
    }

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
    public async Task AfterStartUp_KeysCredentialsAndDataFolders_AreTheOwnersOnly()
    {
        using var admin = await _platform.AdminAsync();
        var edgeData = Path.Combine(_work.Path, "edge");
        _edge = await StartEdgeAsync(admin, edgeData);
        await Eventually.TrueAsync(
            () => File.Exists(Path.Combine(edgeData, "identity.json")) && File.Exists(Path.Combine(edgeData, "keys.json")),
            "the edge wrote its identity and keys");

        Assert.Equal(OwnerFolder, File.GetUnixFileMode(_platform.Data.Path));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(_platform.Data.Combine("keys")));
        // The platform's keys live in the catalog, encrypted; the folder keeps only the key that opens them.
        var keyFiles = Directory.GetFiles(_platform.Data.Combine("keys"));
        Assert.Equal(["key-encryption.key"], keyFiles.Select(Path.GetFileName));
        Assert.All(keyFiles, f => Assert.True(File.GetUnixFileMode(f) == OwnerFile, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(edgeData));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(edgeData, "identity.json")));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(edgeData, "keys.json")));
    }

    private async Task<EdgeHost> StartEdgeAsync(HttpClient admin, string dataFolder)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var url = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        return await EdgeHost.StartAsync(dataFolder, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = url,
            ["PublicUrl"] = url + "/",
            ["Name"] = "edge-modes",
            ["ControlPlaneUrl"] = _platform.BaseUrl.AbsoluteUri,
            ["BootstrapToken"] = bootstrap,
            ["HeartbeatInterval"] = "00:00:00.200",
        });
    }
}
