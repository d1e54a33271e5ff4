using OpenCdn.Contracts.Delivery;

namespace OpenCdn.ControlPlane.Delivery;

/// <summary>
/// The keys that sign delivery tokens, for edges and the origin endpoint alike. Each key lives in
/// <c>{DataFolder}/keys/delivery-{id}.key</c>.
/// </summary>
public sealed class DeliveryKeyRing(string keyFolder, TimeProvider time)
{
    private readonly SigningKey _current = Load(keyFolder, "k1", time);

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey Current => _current;

    /// <summary>Every key a token may still carry.</summary>
    public IReadOnlyList<SigningKey> Live => [_current];

    public byte[]? Find(string keyId) => keyId == _current.Id ? _current.Secret : null;

    private static SigningKey Load(string folder, string id, TimeProvider time) =>
        new(id, Platform.PlatformHostingExtensions.LoadOrCreateKey(Path.Combine(folder, $"delivery-{id}.key")), time.GetUtcNow().AddYears(10));
}
