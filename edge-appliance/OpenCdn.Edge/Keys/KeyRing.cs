using System.Collections.Frozen;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Keys;

/// <summary>
/// This edge's own signing keys, as the control plane handed them out (registration, heartbeats), by key id: derived
/// for this edge alone, they open its URLs and nothing anywhere else. Persisted in the data folder so a restart without
/// the control plane keeps serving; a key stops counting at its <see cref="SigningKey.NotAfter"/>.
/// </summary>
internal sealed class KeyRing
{
    private readonly DataPaths _paths;
    private readonly TimeProvider _time;
    private FrozenDictionary<string, SigningKey> _keys;

    public KeyRing(DataPaths paths, TimeProvider time)
    {
        _paths = paths;
        _time = time;
        _keys = Index(JsonFile.Read(paths.Keys, EdgeJson.Default.ListSigningKey) ?? []);
        FindKey = Find;
    }

    /// <summary>The lookup <see cref="DeliveryToken.Check"/> takes, allocated once.</summary>
    public Func<string, SigningKey?> FindKey { get; }

    public int Count => _keys.Count;

    /// <summary>The key set in force: replaced as a whole, never changed in place, when the control plane sends another.</summary>
    public FrozenDictionary<string, SigningKey> Current => Volatile.Read(ref _keys);

    /// <summary>Whether any key is live: without one the edge can check no token.</summary>
    public bool HasLiveKey
    {
        get
        {
            var now = _time.GetUtcNow();
            return _keys.Values.Any(k => k.NotAfter > now);
        }
    }

    /// <summary>
    /// Takes the control plane's key set as the whole truth (a key it dropped is revoked) and persists it; false when
    /// it is the set already held.
    /// </summary>
    public async Task<bool> ReplaceAsync(IReadOnlyList<SigningKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == _keys.Count
            && keys.All(k => _keys.TryGetValue(k.Id, out var known) && known.NotAfter == k.NotAfter && known.Secret.AsSpan().SequenceEqual(k.Secret)))
        {
            return false;
        }
        await JsonFile.WriteAsync(_paths.Keys, keys, EdgeJson.Default.IReadOnlyListSigningKey, cancellationToken);
        Volatile.Write(ref _keys, Index(keys));
        return true;
    }

    private SigningKey? Find(string keyId) =>
        _keys.TryGetValue(keyId, out var key) && key.NotAfter > _time.GetUtcNow() ? key : null;

    private static FrozenDictionary<string, SigningKey> Index(IEnumerable<SigningKey> keys) =>
        keys.GroupBy(k => k.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
}
