using System.Globalization;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Keys;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Platform;

namespace OpenCdn.ControlPlane.Keys;

/// <summary>
/// Key files that versions before the key store kept in <c>{DataFolder}/keys</c> (<c>jwt.key</c>,
/// <c>playback-session.key</c>, <c>origin-url.key</c>, <c>delivery-root-k{unixSeconds}.key</c>): each is put into the
/// catalog unless the catalog already holds that key, so tokens, sessions and edge keys issued before stay valid, and
/// then deleted, so the folder holds nothing but the key-encryption key. A delivery key file newer than the current key
/// becomes the next version (the way to rotate at once). <c>delivery-k*.key</c> files, which every edge once held, are
/// deleted unread.
/// </summary>
internal sealed partial class LegacyKeyFiles(
    IOptions<PlatformOptions> platform, SecretStore store, TimeProvider time, ILogger<LegacyKeyFiles> logger)
{
    private const string DeliveryPrefix = "delivery-root-k";

    public async Task ImportAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(platform.Value.DataFolder, "keys");
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var handedOut in Directory.EnumerateFiles(folder, "delivery-k*.key"))
        {
            File.Delete(handedOut); // versions before per-edge keys gave these very keys to every edge: nothing may come from them
        }
        foreach (var name in new[] { PlatformKeys.JwtName, PlatformKeys.SessionName, PlatformKeys.OriginUrlName })
        {
            var path = Path.Combine(folder, $"{name}.key");
            if (File.Exists(path))
            {
                await ImportAsync(name, await ReadAsync(path, cancellationToken), cancellationToken);
                File.Delete(path);
            }
        }
        var delivery = Directory.EnumerateFiles(folder, $"{DeliveryPrefix}*.key")
            .Select(path => (Path: path, MadeAt: MadeAt(Path.GetFileNameWithoutExtension(path)[DeliveryPrefix.Length..])))
            .Where(file => file.MadeAt is not null)
            .OrderBy(file => file.MadeAt);
        foreach (var (path, madeAt) in delivery)
        {
            await ImportDeliveryAsync(madeAt!.Value, await ReadAsync(path, cancellationToken), cancellationToken);
            File.Delete(path);
        }
    }

    private async Task ImportAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        if (await store.TryAddAsync(name, 1, time.GetUtcNow(), value, cancellationToken))
        {
            Log.Imported(logger, name, 1);
        }
        else if (!(await store.ListAsync(name, cancellationToken))[0].Value.AsSpan().SequenceEqual(value))
        {
            Log.CatalogKeyKept(logger, name);
        }
    }

    private async Task ImportDeliveryAsync(DateTimeOffset madeAt, byte[] value, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var stored = await store.ListAsync(DeliveryKeyRing.SecretName, cancellationToken);
            if (stored.Any(version => version.CreatedAt.ToUnixTimeSeconds() == madeAt.ToUnixTimeSeconds()))
            {
                return; // imported before, by this instance or another sharing the folder
            }
            if (stored.Count > 0 && stored[^1].CreatedAt >= madeAt)
            {
                Log.DeliveryKeyTooOld(logger, madeAt.ToUnixTimeSeconds());
                return;
            }
            var version = (stored.Count == 0 ? 0 : stored[^1].Version) + 1;
            if (await store.TryAddAsync(DeliveryKeyRing.SecretName, version, madeAt, value, cancellationToken))
            {
                Log.Imported(logger, DeliveryKeyRing.SecretName, version);
                return;
            }
        }
    }

    private static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length is 0 or > SecretStore.MaxSize)
        {
            throw new InvalidOperationException(
                $"{path} is not a key file ({length.ToString(CultureInfo.InvariantCulture)} bytes): restore it or move it out of the keys folder.");
        }
        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    /// <summary>When key <c>k{unixSeconds}</c> was made; null for a name that is not one.</summary>
    private static DateTimeOffset? MadeAt(string seconds) =>
        long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix is > 0 and < 100_000_000_000
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : null;

    private static partial class Log
    {
        [LoggerMessage(761, LogLevel.Information, "Key file {Name} imported into the catalog as version {Version}, then deleted")]
        public static partial void Imported(ILogger logger, string name, long version);

        [LoggerMessage(762, LogLevel.Warning,
            "Key file {Name} differs from the key the catalog already holds; the catalog's is kept, the file deleted")]
        public static partial void CatalogKeyKept(ILogger logger, string name);

        [LoggerMessage(763, LogLevel.Warning,
            "Delivery key file k{MadeAt} is older than the catalog's newest delivery key; it was not imported, and deleted")]
        public static partial void DeliveryKeyTooOld(ILogger logger, long madeAt);
    }
}
