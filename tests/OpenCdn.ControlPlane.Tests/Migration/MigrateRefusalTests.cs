using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Migration;

/// <summary>The migrate command refuses, in one line and with a non-zero exit, what it cannot do right.</summary>
public sealed class MigrateRefusalTests : IDisposable
{
    private readonly TempFolder _embedded = new();

    private static Dictionary<string, string> CloudLike => new()
    {
        ["ConnectionStrings:Catalog"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing",
        ["OpenCdn:Storage:Kind"] = "S3",
        ["OpenCdn:Storage:S3:Bucket"] = "somewhere",
        ["OpenCdn:Keys:EncryptionKey"] = Convert.ToBase64String(new byte[32]),
    };

    [Fact]
    public async Task Migrate_FromAFolderWithoutCatalog_IsRefused()
    {
        var (exit, output) = await MigrationRun.RunAsync(CloudLike, "--from", _embedded.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"migrate: refused: {_embedded.Path} holds no catalog.db", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_IntoTheSameSqliteFile_IsRefused()
    {
        await File.WriteAllBytesAsync(_embedded.Combine("catalog.db"), []);
        var settings = CloudLike;
        settings["ConnectionStrings:Catalog"] = $"Data Source={_embedded.Combine("catalog.db")}";

        var (exit, output) = await MigrationRun.RunAsync(settings, "--from", _embedded.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"the target catalog is {_embedded.Combine("catalog.db")} itself", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithEmbeddedDefaultsAsTarget_SaysWhatCloudModeNeeds()
    {
        await File.WriteAllBytesAsync(_embedded.Combine("catalog.db"), []);

        var (exit, output) = await MigrationRun.RunAsync(new Dictionary<string, string>(), "--from", _embedded.Path);

        Assert.Equal(2, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(
            "migrate: refused: the target is not configured for cloud mode; set ConnectionStrings:Catalog", line, StringComparison.Ordinal);
        Assert.Contains("OpenCdn:Storage:Kind=S3", line, StringComparison.Ordinal);
        Assert.Contains("OpenCdn:Storage:S3:Bucket", line, StringComparison.Ordinal);
        Assert.Contains("OpenCdn:Keys:EncryptionKey", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithoutFrom_PrintsItsUsage()
    {
        var (exit, output) = await MigrationRun.RunAsync(CloudLike);

        Assert.Equal(2, exit);
        Assert.Contains("usage: migrate --from <embedded data folder>", output, StringComparison.Ordinal);
    }

    public void Dispose() => _embedded.Dispose();
}
