using System.Globalization;
using Dapper;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;

namespace OpenCdn.ControlPlane.Migration;

/// <summary>
/// The platform's keys (the catalog's <c>secrets</c>), opened with the source's key-encryption key and sealed again under
/// the target's: a secret's rows cannot simply be copied, each is bound to the KEK that sealed it.
/// </summary>
internal static class KeysCopy
{
    public const string Table = "secrets";

    public static async Task<CopyCount> CopyAsync(
        string from, string? sourceKeyFile, CatalogDatabase source, SecretStore target, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names;
        await using (var connection = await source.OpenAsync(cancellationToken))
        {
            names = [.. await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT DISTINCT name FROM {Table} ORDER BY name", cancellationToken: cancellationToken))];
        }
        if (names.Count == 0)
        {
            return new CopyCount(0, 0);
        }
        var sourceStore = new SecretStore(source, SourceKek(from, sourceKeyFile));
        var count = new CopyCount(0, 0);
        foreach (var name in names)
        {
            foreach (var secret in await sourceStore.ListAsync(name, cancellationToken))
            {
                if (await target.TryAddAsync(name, secret.Version, secret.CreatedAt, secret.Value, cancellationToken))
                {
                    count = count with { Copied = count.Copied + 1 };
                    continue;
                }
                var there = (await target.ListAsync(name, cancellationToken)).Single(stored => stored.Version == secret.Version);
                if (!there.Value.AsSpan().SequenceEqual(secret.Value))
                {
                    throw new MigrationRefusedException(
                        $"the target catalog already holds a different key '{name}' version "
                        + $"{secret.Version.ToString(CultureInfo.InvariantCulture)} (a control plane has run on it): "
                        + "migrate into a catalog no cloud control plane has started on, or tokens issued before would stop working.");
                }
                count = count with { AlreadyThere = count.AlreadyThere + 1 };
            }
        }
        return count;
    }

    /// <summary>The embedded installation's KEK: <paramref name="keyFile"/> if given, else the one generated in its keys folder.</summary>
    private static LocalKeyEncryptionKey SourceKek(string from, string? keyFile)
    {
        if (keyFile is null && !File.Exists(Path.Combine(from, "keys", KeyEncryptionKeySource.GeneratedFileName)))
        {
            throw new MigrationRefusedException(
                $"{Path.GetFullPath(Path.Combine(from, "keys", KeyEncryptionKeySource.GeneratedFileName))} does not exist: pass "
                + "--source-key-file with the key-encryption key the embedded installation was given (OpenCdn:Keys:EncryptionKeyFile).");
        }
        return KeyEncryptionKeySource.Resolve(new KeysOptions { EncryptionKeyFile = keyFile }, from);
    }
}
