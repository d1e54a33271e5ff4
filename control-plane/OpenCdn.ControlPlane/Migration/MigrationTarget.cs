using Microsoft.Data.Sqlite;
using OpenCdn.Catalog.Keys;
using OpenCdn.Platform;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Migration;

/// <summary>
/// Checks that the migration's source is an embedded data folder and that this host's configuration names a cloud
/// installation as the target: a PostgreSQL catalog, an S3 origin and a key-encryption key of its own.
/// </summary>
internal static class MigrationTarget
{
    public static void Check(IConfiguration configuration, string from)
    {
        var sourceCatalog = Path.GetFullPath(Path.Combine(from, "catalog.db"));
        if (!File.Exists(sourceCatalog))
        {
            throw new MigrationRefusedException($"{Path.GetFullPath(from)} holds no catalog.db: --from must name an embedded data folder.");
        }
        var missing = new List<string>();
        var catalog = configuration.GetConnectionString("Catalog");
        if (string.IsNullOrWhiteSpace(catalog) || !catalog.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var targetFile = string.IsNullOrWhiteSpace(catalog)
                ? Path.Combine(configuration[$"{PlatformOptions.Section}:DataFolder"] ?? new PlatformOptions().DataFolder, "catalog.db")
                : new SqliteConnectionStringBuilder(catalog).DataSource;
            if (string.Equals(Path.GetFullPath(targetFile), sourceCatalog, StringComparison.Ordinal))
            {
                throw new MigrationRefusedException(
                    $"the target catalog is {sourceCatalog} itself: set ConnectionStrings:Catalog to the cloud installation's PostgreSQL.");
            }
            missing.Add("ConnectionStrings:Catalog (a PostgreSQL connection string, Host=...)");
        }
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (storage.Kind != StorageKind.S3)
        {
            missing.Add($"{StorageOptions.Section}:Kind=S3");
        }
        if (string.IsNullOrWhiteSpace(storage.S3.Bucket))
        {
            missing.Add($"{StorageOptions.Section}:S3:Bucket");
        }
        var keys = configuration.GetSection(KeysOptions.Section).Get<KeysOptions>() ?? new KeysOptions();
        if (string.IsNullOrEmpty(keys.EncryptionKey) && string.IsNullOrEmpty(keys.EncryptionKeyFile))
        {
            missing.Add($"{KeysOptions.Section}:EncryptionKey (or EncryptionKeyFile), the key-encryption key every cloud instance is given");
        }
        if (missing.Count > 0)
        {
            throw new MigrationRefusedException($"the target is not configured for cloud mode; set {string.Join("; ", missing)}.");
        }
    }
}
