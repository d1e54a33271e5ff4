using System.Security.Cryptography;
using System.Text;
using Dapper;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>The key store's rules, run unchanged on SQLite (embedded) and PostgreSQL (cloud).</summary>
public abstract class SecretStoreContract
{
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(32);

    protected abstract Task<CatalogDatabase> DatabaseAsync();

    [Fact]
    public async Task Secret_ReadsBackAsWritten_AndItsRowHoldsNoPlaintext()
    {
        var (database, store) = await StoreAsync();
        var key = RandomNumberGenerator.GetBytes(32);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123);

        Assert.True(await store.TryAddAsync("jwt", 1, at, key, default));
        var read = Assert.Single(await store.ListAsync("jwt", default));

        Assert.Equal(key, read.Value);
        Assert.Equal(at, read.CreatedAt);
        var row = await RawRowAsync(database, "jwt", 1);
        Assert.DoesNotContain(Convert.ToBase64String(key), row, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), row, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(-1, Convert.FromBase64String(row).AsSpan().IndexOf(key.AsSpan(0, 8))); // not even a piece of it
    }

    [Fact]
    public async Task ConcurrentWriters_OfOneVersion_OneWins_AndEveryoneReadsTheWinner()
    {
        var (database, _) = await StoreAsync();
        var writers = Enumerable.Range(0, 8).Select(_ => new SecretStore(database, Kek())).ToList();
        var values = writers.Select(_ => RandomNumberGenerator.GetBytes(32)).ToList();

        var won = await Task.WhenAll(writers.Select((w, i) => w.TryAddAsync("delivery-root", 2, DateTimeOffset.UtcNow, values[i], default)));
        var reads = await Task.WhenAll(writers.Select(w => w.ListAsync("delivery-root", default)));

        Assert.Single(won, w => w);
        var winner = values[Array.IndexOf(won, true)];
        Assert.All(reads, read => Assert.Equal(winner, Assert.Single(read).Value));
    }

    [Fact]
    public async Task GetOrAdd_KeepsTheFirstKey_AcrossInstances()
    {
        var (database, store) = await StoreAsync();
        var first = await store.GetOrAddAsync("playback-session", () => RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow, default);

        var second = await new SecretStore(database, Kek()).GetOrAddAsync(
            "playback-session", () => RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow, default);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task AnotherKeyEncryptionKey_CannotOpenTheKeys_AndSaysSo()
    {
        var (database, store) = await StoreAsync();
        await store.TryAddAsync("jwt", 1, DateTimeOffset.UtcNow, RandomNumberGenerator.GetBytes(32), default);
        var wrong = new SecretStore(
            database, new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32), "the configured OpenCdn:Keys:EncryptionKey"));

        var error = await Assert.ThrowsAsync<KeyEncryptionKeyMismatchException>(() => wrong.ListAsync("jwt", default));

        Assert.StartsWith("The configured OpenCdn:Keys:EncryptionKey does not open the keys in the catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACiphertextMovedToAnotherRow_DoesNotOpen()
    {
        var (database, store) = await StoreAsync();
        await store.TryAddAsync("delivery-root", 1, DateTimeOffset.UtcNow, RandomNumberGenerator.GetBytes(32), default);
        await store.TryAddAsync("delivery-root", 2, DateTimeOffset.UtcNow, RandomNumberGenerator.GetBytes(32), default);
        await store.TryAddAsync("jwt", 1, DateTimeOffset.UtcNow, RandomNumberGenerator.GetBytes(32), default);
        var sealedOne = await RawRowAsync(database, "delivery-root", 1);

        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE secrets SET sealed = @sealedOne WHERE name = 'delivery-root' AND version = 2", new { sealedOne });
            await connection.ExecuteAsync("UPDATE secrets SET sealed = @sealedOne WHERE name = 'jwt'", new { sealedOne });
        }

        await Assert.ThrowsAsync<KeyEncryptionKeyMismatchException>(() => store.ListAsync("delivery-root", default)); // another version
        await Assert.ThrowsAsync<KeyEncryptionKeyMismatchException>(() => store.ListAsync("jwt", default)); // another name
    }

    [Fact]
    public async Task Delete_RemovesOneVersion()
    {
        var (_, store) = await StoreAsync();
        await store.TryAddAsync("delivery-root", 1, DateTimeOffset.UtcNow, [1], default);
        await store.TryAddAsync("delivery-root", 2, DateTimeOffset.UtcNow, [2], default);

        await store.DeleteAsync("delivery-root", 1, default);

        Assert.Equal([2L], (await store.ListAsync("delivery-root", default)).Select(s => s.Version));
    }

    private LocalKeyEncryptionKey Kek() => new(_kek, "a test key");

    private async Task<(CatalogDatabase Database, SecretStore Store)> StoreAsync()
    {
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        return (database, new SecretStore(database, Kek()));
    }

    private static async Task<string> RawRowAsync(CatalogDatabase database, string name, long version)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.QuerySingleAsync<string>(
            "SELECT sealed FROM secrets WHERE name = @name AND version = @version", new { name, version });
    }
}
