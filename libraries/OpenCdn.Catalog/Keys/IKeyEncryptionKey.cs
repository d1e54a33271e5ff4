namespace OpenCdn.Catalog.Keys;

/// <summary>
/// What the secrets in the catalog are encrypted under. One implementation today, <see cref="LocalKeyEncryptionKey"/>
/// (AES-256-GCM under a key from configuration); a KMS envelope (a data key per secret, wrapped by the KMS) fits the same
/// two calls, and the first byte of every sealed value names its scheme so both can be read side by side.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>Where the key comes from, for start-up errors ("the configured OpenCdn:Keys:EncryptionKey"); never the key.</summary>
    string Description { get; }

    /// <summary>Encrypts <paramref name="plaintext"/> bound to <paramref name="associatedData"/>.</summary>
    Task<byte[]> SealAsync(byte[] plaintext, byte[] associatedData, CancellationToken cancellationToken);

    /// <summary>
    /// Decrypts what <see cref="SealAsync"/> made with the same associated data; throws
    /// <see cref="System.Security.Cryptography.CryptographicException"/> when this key did not seal it or it was changed.
    /// </summary>
    Task<byte[]> OpenAsync(byte[] sealedValue, byte[] associatedData, CancellationToken cancellationToken);
}
