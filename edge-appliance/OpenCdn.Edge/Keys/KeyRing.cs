using System.Collections.Frozen;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Keys;

/// <summary>
/// The signing keys the control plane handed out (registration, heartbeats), by key id. Persisted in the data folder so a
/// restart without the control plane keeps serving; a key stops counting at its <see cref="SigningKey.NotAfter"/>.
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
        _keys = Index(JsonFile.Read<List<SigningKey>>(paths.Keys) ?? []);
        FindSecret = Find;
    }

    /// <summary>The lookup <see cref="DeliveryToken.Check"/> takes, allocated once.</summary>
    public Func<string, byte[]?> FindSecret { get; }

    public int Count => _keys.Count;

    /// <summary>The key set in force: replaced as a whole, never changed in place, when the control plane sends another.</summary>
    public FrozenDictionary<string, SigningKey> Current => Volatile.Read(ref _keys);

    /// <summary>The live key that lasts longest, for minting peer tokens; <c>null</c> when none is live.</summary>
    public SigningKey? Newest
    {
        get
        {
            var now = _time.GetUtcNow();
            return _keys.Values.Where(k => k.NotAfter > now).MaxBy(k => k.NotAfter);
        }
    }

    /// <summary>Takes the control plane's key set as the whole truth (a key it dropped is revoked) and persists it.</summary>
    public async Task ReplaceAsync(IReadOnlyList<SigningKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == _keys.Count && keys.All(k => _keys.TryGetValue(k.Id, out var known) && known.NotAfter == k.NotAfter && known.Secret.AsSpan().SequenceEqual(k.Secret)))
        {
            return;
        }
        await JsonFile.WriteAsync(_paths.Keys, keys, cancellationToken);
        Volatile.Write(ref _keys, Index(keys));
    }

    private byte[]? Find(string keyId) =>
        _keys.TryGetValue(keyId, out var key) && key.NotAfter > _time.GetUtcNow() ? key.Secret : null;

    private static FrozenDictionary<string, SigningKey> Index(IEnumerable<SigningKey> keys) =>
        keys.GroupBy(k => k.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
}
