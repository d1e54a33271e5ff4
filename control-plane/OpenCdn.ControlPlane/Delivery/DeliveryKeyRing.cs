using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Platform.Files;

namespace OpenCdn.ControlPlane.Delivery;

/// <summary>
/// The platform keys behind every delivery token, rotated with overlap: a new key is
/// made every <c>rotateEvery</c>, and the one it replaces stays live for <c>overlap</c> (the longest a token lives),
/// so a session started just before a rotation keeps playing. Each key is a file <c>{folder}/delivery-root-k{unixSeconds}.key</c>
/// whose name says when it was made; files of keys no token can carry any more are deleted. The platform keys never
/// leave the control plane: each audience (<see cref="DeliveryAudience"/>: one edge, or origin) signs and checks with a
/// key derived for it alone, so what one edge holds opens nothing on another edge or on origin.
/// </summary>
public sealed class DeliveryKeyRing
{
    private const string FilePrefix = "delivery-root-";

    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _rotateEvery;
    private readonly TimeSpan _overlap;
    private readonly Lock _rotation = new();
    private KeySet _keys;

    public DeliveryKeyRing(string folder, TimeProvider time, TimeSpan rotateEvery, TimeSpan overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rotateEvery, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(overlap, TimeSpan.Zero);
        (_folder, _time, _rotateEvery, _overlap) = (folder, time, rotateEvery, overlap);
        SecretFile.CreateFolder(folder);
        foreach (var handedOut in Directory.EnumerateFiles(folder, "delivery-k*.key"))
        {
            // Versions before per-edge keys gave these very keys to every edge: nothing may be derived from them.
            File.Delete(handedOut);
        }
        _keys = Load();
    }

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
    /// An audience's own key: HKDF-SHA256 of the platform key over the audience and key id. It keeps the platform key's
    /// id and lifetime, so tokens look the same, but it opens only its audience's URLs and says nothing of any other key.
    /// </summary>
    private static SigningKey Derive(SigningKey platform, string audience)
    {
        var info = Encoding.UTF8.GetBytes($"opencdn-delivery|{audience}|{platform.Id}");
        return platform with { Secret = HKDF.DeriveKey(HashAlgorithmName.SHA256, platform.Secret, outputLength: 32, salt: [], info) };
    }

    /// <summary>The key set as of now: read again when the current key is due for rotation or an old one expired.</summary>
    private KeySet Fresh()
    {
        var keys = Volatile.Read(ref _keys);
        var now = _time.GetUtcNow();
        if (now < keys.RotateAt && now < keys.NextExpiry)
        {
            return keys;
        }
        lock (_rotation)
        {
            keys = _keys;
            if (now >= keys.RotateAt || now >= keys.NextExpiry)
            {
                Volatile.Write(ref _keys, keys = Load());
            }
            return keys;
        }
    }

    /// <summary>Reads the folder: the newest key is current, each older one lives until its successor is <c>overlap</c> old.</summary>
    private KeySet Load()
    {
        var now = _time.GetUtcNow();
        var made = Directory.EnumerateFiles(_folder, $"{FilePrefix}k*.key")
            .Select(path => (Path: path, MadeAt: MadeAt(Path.GetFileNameWithoutExtension(path)[FilePrefix.Length..])))
            .Where(k => k.MadeAt is not null)
            .OrderByDescending(k => k.MadeAt)
            .ToList();
        if (made.Count == 0 || made[0].MadeAt!.Value + _rotateEvery <= now)
        {
            Create(now);
            return Load();
        }
        var live = new List<SigningKey>();
        var successorMadeAt = made[0].MadeAt!.Value + _rotateEvery;
        foreach (var (path, madeAt) in made)
        {
            var notAfter = successorMadeAt + _overlap;
            if (notAfter <= now)
            {
                File.Delete(path); // no token signed with it can still be valid
                continue;
            }
            SecretFile.Tighten(path);
            live.Add(new SigningKey(Path.GetFileNameWithoutExtension(path)[FilePrefix.Length..], File.ReadAllBytes(path), notAfter));
            successorMadeAt = madeAt!.Value;
        }
        var rotateAt = made[0].MadeAt!.Value + _rotateEvery;
        var nextExpiry = live.Count > 1 ? live.Skip(1).Min(k => k.NotAfter) : DateTimeOffset.MaxValue;
        return new KeySet(live[0], live, rotateAt, nextExpiry);
    }

    private void Create(DateTimeOffset now)
    {
        var path = Path.Combine(_folder, $"{FilePrefix}k{now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.key");
        if (File.Exists(path))
        {
            return;
        }
        SecretFile.TryCreate(path, RandomNumberGenerator.GetBytes(32)); // false: another instance sharing the folder made it first; theirs counts
    }

    /// <summary>When key <c>k{unixSeconds}</c> was made; null for a name that is not one.</summary>
    private static DateTimeOffset? MadeAt(string keyId) =>
        keyId.Length > 1 && long.TryParse(keyId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private sealed record KeySet(SigningKey Current, IReadOnlyList<SigningKey> Live, DateTimeOffset RotateAt, DateTimeOffset NextExpiry)
    {
        /// <summary>Keys derived from this set, by audience and key id: minting for an edge costs one HMAC, not an HKDF.</summary>
        private readonly ConcurrentDictionary<(string Audience, string KeyId), SigningKey> _derived = new();

        public SigningKey For(string audience, SigningKey platform) =>
            _derived.GetOrAdd((audience, platform.Id), static (id, platform) => Derive(platform, id.Audience), platform);
    }
}
