using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;

namespace OpenCdn.Testing;

/// <summary>
/// Reads a platform key the way a control plane on embedded defaults keeps it: in the SQLite catalog of its data folder,
/// encrypted under the key-encryption key generated beside it. For tests that must sign as the control plane does.
/// </summary>
public static class StoredKeys
{
    /// <summary>
    /// The newest version of key <paramref name="name"/> (<c>jwt</c>, <c>playback-session</c>, <c>origin-url</c>, <c>delivery-root</c>).
    /// </summary>
    public static async Task<byte[]> ReadAsync(string dataFolder, string name)
    {
        var kek = await File.ReadAllBytesAsync(Path.Combine(dataFolder, "keys", KeyEncryptionKeySource.GeneratedFileName));
        await using var database = CatalogDatabase.Create($"Data Source={Path.Combine(dataFolder, "catalog.db")}");
        var versions = await new SecretStore(database, new LocalKeyEncryptionKey(kek, "the test's copy")).ListAsync(name, default);
        return versions[^1].Value;
    }
}
