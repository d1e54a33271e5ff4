using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenCdn.Catalog.Keys;
using OpenCdn.Contracts.Delivery;

namespace OpenCdn.ControlPlane.Delivery;

/// <summary>
/// The platform keys behind every delivery token, rotated with overlap: a new key becomes current every
/// <c>rotateEvery</c>, and the one it replaces stays live for <c>overlap</c> (the longest a token lives), so a session
/// started just before a rotation keeps playing. The keys are the versions of the secret <see cref="SecretName"/> in the
/// catalog, shared by every instance; a version's time is when it becomes current, and its id is <c>k{unixSeconds}</c> of
/// that time. Rotation happens once for the fleet: <see cref="RefreshAsync"/> inserts the next version ahead of time
/// (<c>lead</c>) if it is absent, every instance reads the one that was inserted first, and each switches to it by the
/// clock alone. The platform keys never leave the control plane: each audience (<see cref="DeliveryAudience"/>: one
/// edge, or origin) signs and checks with a key derived for it alone, so what one edge holds opens nothing elsewhere.
/// </summary>
public sealed class DeliveryKeyRing(SecretStore store, TimeProvider time, TimeSpan rotateEvery, TimeSpan overlap, TimeSpan lead)
    : IDisposable
{
    public const string SecretName = "delivery-root";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _switch = new();
    private KeySet? _keys;

    /// <summary>The key new tokens for <paramref name="audience"/> are signed with.</summary>
    public SigningKey Current(string audience)
    {
        var keys = Fresh();
        return keys.For(audience, keys.Current);
    }

    /// <summary>Every key a token for <paramref name="audience"/> may still carry, newest first: what an edge is given.</summary>
    public IReadOnlyList<SigningKey> Live(string audience)
    {
        var keys = Fresh();
        return [.. keys.Live.Select(key => keys.For(audience, key))];
    }

    /// <summary>The live key <paramref name="keyId"/> of <paramref name="audience"/>, or null.</summary>
    public SigningKey? Find(string audience, string keyId)
    {
        var keys = Fresh();
        foreach (var key in keys.Live)
        {
            if (key.Id == keyId)
            {
                return keys.For(audience, key);
            }
        }
        return null;
    }

    /// <summary>
    /// Reads the versions from the catalog, inserts the next one when the current is due within <c>lead</c> (or none
    /// exists), deletes the ones no token can carry any more, and swaps the in-memory set. Run at start and every check.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var stored = await store.ListAsync(SecretName, cancellationToken);
            if (stored.Count == 0 || stored[^1].CreatedAt + rotateEvery - lead <= now)
            {
                var due = stored.Count == 0 ? now : stored[^1].CreatedAt + rotateEvery;
                var current = DateTimeOffset.FromUnixTimeSeconds((due > now ? due : now).ToUnixTimeSeconds());
                var version = (stored.Count == 0 ? 0 : stored[^1].Version) + 1;
                // False: another instance inserted this version first; the list read next has theirs, and everyone uses it.
                await store.TryAddAsync(SecretName, version, current, RandomNumberGenerator.GetBytes(32), cancellationToken);
                stored = await store.ListAsync(SecretName, cancellationToken);
            }
            var keys = Build(stored, now, out var expired);
            foreach (var old in expired)
            {
                await store.DeleteAsync(SecretName, old.Version, cancellationToken); // no token signed with it can still be valid
            }
            lock (_switch)
            {
                Volatile.Write(ref _keys, keys);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The key id of a stored version: when it became current, in Unix seconds.</summary>
    public static string KeyId(StoredSecret version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return $"k{version.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// An audience's own key: HKDF-SHA256 of the platform key over the audience and key id. It keeps the platform key's
    /// id and lifetime, so tokens look the same, but it opens only its audience's URLs and says nothing of any other key.
    /// </summary>
    private static SigningKey Derive(SigningKey platform, string audience)
    {
        var info = Encoding.UTF8.GetBytes($"opencdn-delivery|{audience}|{platform.Id}");
        return platform with { Secret = HKDF.DeriveKey(HashAlgorithmName.SHA256, platform.Secret, outputLength: 32, salt: [], info) };
    }

    /// <summary>The key set as of now: built again from the versions already read when the next one became current or an old one expired.</summary>
    private KeySet Fresh()
    {
        var keys = Volatile.Read(ref _keys) ?? throw new InvalidOperationException("The delivery keys were used before they were read at start.");
        var now = time.GetUtcNow();
        if (now < keys.RotateAt && now < keys.NextExpiry)
        {
            return keys;
        }
        lock (_switch)
        {
            keys = _keys!;
            if (now >= keys.RotateAt || now >= keys.NextExpiry)
            {
                Volatile.Write(ref _keys, keys = Build(keys.Stored, now, out _));
            }
            return keys;
        }
    }

    /// <summary>
    /// The newest version whose time has come is current; each older one lives until its successor is <c>overlap</c> old.
    /// A version inserted ahead of time waits (<see cref="KeySet.RotateAt"/>) and is handed to no one before.
    /// </summary>
    private KeySet Build(IReadOnlyList<StoredSecret> stored, DateTimeOffset now, out List<StoredSecret> expired)
    {
        var gone = expired = [];
        var active = stored.Where(s => s.CreatedAt <= now).OrderByDescending(s => s.Version).ToList();
        var next = stored.Where(s => s.CreatedAt > now).OrderBy(s => s.Version).FirstOrDefault();
        if (active.Count == 0)
        {
            // Only a version from a clock slightly ahead of ours: use it rather than none.
            active.Add(next ?? throw new InvalidOperationException("The catalog holds no delivery key."));
            next = null;
        }
        var live = new List<SigningKey>();
        var successorAt = next?.CreatedAt ?? active[0].CreatedAt + rotateEvery;
        foreach (var version in active)
        {
            var notAfter = successorAt + overlap;
            if (notAfter <= now && live.Count > 0)
            {
                expired.Add(version);
                continue;
            }
            live.Add(new SigningKey(KeyId(version), version.Value, notAfter));
            successorAt = version.CreatedAt;
        }
        var rotateAt = next?.CreatedAt ?? DateTimeOffset.MaxValue; // none waiting: the next refresh inserts it
        var nextExpiry = live.Count > 1 ? live.Skip(1).Min(k => k.NotAfter) : DateTimeOffset.MaxValue;
        var kept = stored.Where(s => !gone.Contains(s)).ToList();
        return new KeySet(live[0], live, kept, rotateAt, nextExpiry);
    }

    private sealed record KeySet(
        SigningKey Current, IReadOnlyList<SigningKey> Live, IReadOnlyList<StoredSecret> Stored, DateTimeOffset RotateAt, DateTimeOffset NextExpiry)
    {
        /// <summary>Keys derived from this set, by audience and key id: minting for an edge costs one HMAC, not an HKDF.</summary>
        private readonly ConcurrentDictionary<(string Audience, string KeyId), SigningKey> _derived = new();

        public SigningKey For(string audience, SigningKey platform) =>
            _derived.GetOrAdd((audience, platform.Id), static (id, platform) => Derive(platform, id.Audience), platform);
    }
}
