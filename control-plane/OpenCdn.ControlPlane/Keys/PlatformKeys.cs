using System.Security.Cryptography;
using OpenCdn.Catalog.Keys;

namespace OpenCdn.ControlPlane.Keys;

/// <summary>
/// The control plane's keys that never rotate, shared by every instance through the catalog: the embedded issuer's JWT
/// key, the playback-session key and the origin-URL key. Read once at start (<see cref="PlatformKeysLoader"/>); made by
/// the first instance that found none.
/// </summary>
internal sealed class PlatformKeys
{
    public const string JwtName = "jwt";
    public const string SessionName = "playback-session";
    public const string OriginUrlName = "origin-url";

    private Loaded? _loaded;

    public byte[] Jwt => Keys.Jwt;

    public byte[] Session => Keys.Session;

    public byte[] OriginUrl => Keys.OriginUrl;

    private Loaded Keys =>
        Volatile.Read(ref _loaded) ?? throw new InvalidOperationException("The platform keys were used before they were read at start.");

    public async Task LoadAsync(SecretStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jwt = await store.GetOrAddAsync(JwtName, NewKey, now, cancellationToken);
        var session = await store.GetOrAddAsync(SessionName, NewKey, now, cancellationToken);
        var originUrl = await store.GetOrAddAsync(OriginUrlName, NewKey, now, cancellationToken);
        Volatile.Write(ref _loaded, new Loaded(jwt, session, originUrl));
    }

    private static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    private sealed record Loaded(byte[] Jwt, byte[] Session, byte[] OriginUrl);
}
