using System.Security.Cryptography;

namespace OpenCdn.Catalog.Keys;

/// <summary>
/// AES-256-GCM under a 32-byte key-encryption key held by the process: <c>0x01 | nonce (12) | ciphertext | tag (16)</c>,
/// a random nonce for every value.
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey
{
    public const int KeySize = 32;
    private const byte Scheme = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public LocalKeyEncryptionKey(byte[] key, string description)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A key-encryption key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }
        (_key, Description) = (key, description);
    }

    public string Description { get; }

    public Task<byte[]> SealAsync(byte[] plaintext, byte[] associatedData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var output = new byte[1 + NonceSize + plaintext.Length + TagSize];
        output[0] = Scheme;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize, plaintext.Length), output.AsSpan(output.Length - TagSize), associatedData);
        return Task.FromResult(output);
    }

    public Task<byte[]> OpenAsync(byte[] sealedValue, byte[] associatedData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        if (sealedValue.Length < 1 + NonceSize + TagSize || sealedValue[0] != Scheme)
        {
            throw new CryptographicException("The sealed value is not AES-256-GCM under a local key-encryption key.");
        }
        var plaintext = new byte[sealedValue.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            sealedValue.AsSpan(1, NonceSize), sealedValue.AsSpan(1 + NonceSize, plaintext.Length), sealedValue.AsSpan(sealedValue.Length - TagSize),
            plaintext, associatedData);
        return Task.FromResult(plaintext);
    }
}
