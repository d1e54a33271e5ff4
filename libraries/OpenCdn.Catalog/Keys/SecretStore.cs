using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace OpenCdn.Catalog.Keys;

/// <summary>
/// Named, versioned secrets in the catalog (table <c>secrets</c>), each encrypted under the key-encryption key with its
/// name and version as associated data, so a value moved to another row no longer opens. Writes never overwrite: a
/// version is inserted only if absent, and whoever inserted first is the one every instance reads.
/// </summary>
public sealed class SecretStore(CatalogDatabase database, IKeyEncryptionKey kek)
{
    /// <summary>The largest secret kept (keys are 32 bytes; a legacy key file might be a little longer).</summary>
    public const int MaxSize = 1024;

    /// <summary>
    /// Inserts version <paramref name="version"/> of <paramref name="name"/> unless it exists; false when another writer was first.
    /// </summary>
    public async Task<bool> TryAddAsync(string name, long version, DateTimeOffset createdAt, byte[] value, CancellationToken cancellationToken)
    {
        Check(name, version);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfZero(value.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxSize);
        var sealedValue = Convert.ToBase64String(await kek.SealAsync(value, AssociatedData(name, version), cancellationToken));
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO secrets (name, version, sealed, created_at) VALUES (@name, @version, @sealedValue, @createdAt) "
            + "ON CONFLICT (name, version) DO NOTHING",
            new { name, version, sealedValue, createdAt = createdAt.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <summary>Every version of <paramref name="name"/>, oldest first, decrypted; a clear error when the KEK does not open them.</summary>
    public async Task<IReadOnlyList<StoredSecret>> ListAsync(string name, CancellationToken cancellationToken)
    {
        Check(name, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT version AS Version, sealed AS Sealed, created_at AS CreatedAt FROM secrets WHERE name = @name ORDER BY version",
            new { name }, cancellationToken: cancellationToken));
        var secrets = new List<StoredSecret>();
        foreach (var row in rows)
        {
            var value = await OpenAsync(name, row, cancellationToken);
            secrets.Add(new StoredSecret(name, row.Version, value, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt)));
        }
        return secrets;
    }

    /// <summary>Version 1 of a secret that never rotates: the stored one, or <paramref name="create"/>'s if none is stored yet.</summary>
    public async Task<byte[]> GetOrAddAsync(string name, Func<byte[]> create, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (await ListAsync(name, cancellationToken) is [var stored, ..])
        {
            return stored.Value;
        }
        await TryAddAsync(name, 1, now, create(), cancellationToken); // false: another instance made it first; theirs counts
        return (await ListAsync(name, cancellationToken))[0].Value;
    }

    public async Task DeleteAsync(string name, long version, CancellationToken cancellationToken)
    {
        Check(name, version);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM secrets WHERE name = @name AND version = @version", new { name, version }, cancellationToken: cancellationToken));
    }

    private async Task<byte[]> OpenAsync(string name, Row row, CancellationToken cancellationToken)
    {
        try
        {
            return await kek.OpenAsync(Convert.FromBase64String(row.Sealed), AssociatedData(name, row.Version), cancellationToken);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new KeyEncryptionKeyMismatchException(
                $"{Capitalized(kek.Description)} does not open the keys in the catalog (secret '{name}' version "
                + $"{row.Version.ToString(CultureInfo.InvariantCulture)}). Every control-plane instance sharing this catalog must be "
                + "given the key-encryption key the keys were stored under (OpenCdn:Keys:EncryptionKey).", e);
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static byte[] AssociatedData(string name, long version) =>
        Encoding.UTF8.GetBytes($"opencdn-secret|{name}|{version.ToString(CultureInfo.InvariantCulture)}");

    private static void Check(string name, long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"'{name}' is not a secret name ([a-z0-9-], at most 64).", nameof(name));
        }
    }

    private sealed record Row(long Version, string Sealed, long CreatedAt);
}
