using OpenCdn.Platform;

namespace OpenCdn.Catalog.Keys;

/// <summary>Finds the key-encryption key: configured as base64, in a configured file, or generated once in the data folder.</summary>
public static class KeyEncryptionKeySource
{
    public const string GeneratedFileName = "key-encryption.key";

    public static LocalKeyEncryptionKey Resolve(KeysOptions options, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.EncryptionKey))
        {
            var key = Decode(options.EncryptionKey) ?? throw new InvalidOperationException(
                $"OpenCdn:Keys:EncryptionKey must be the base64 of {LocalKeyEncryptionKey.KeySize} bytes; the value set is not.");
            return new LocalKeyEncryptionKey(key, "the configured OpenCdn:Keys:EncryptionKey");
        }
        if (!string.IsNullOrEmpty(options.EncryptionKeyFile))
        {
            var path = Path.GetFullPath(options.EncryptionKeyFile);
            var description = $"the key-encryption key in OpenCdn:Keys:EncryptionKeyFile ({path})";
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"OpenCdn:Keys:EncryptionKeyFile names {path}, which does not exist.");
            }
            return new LocalKeyEncryptionKey(FromFile(path) ?? throw new InvalidOperationException(
                $"OpenCdn:Keys:EncryptionKeyFile ({path}) must hold {LocalKeyEncryptionKey.KeySize} bytes or their base64."), description);
        }
        var generated = Path.GetFullPath(Path.Combine(dataFolder, "keys", GeneratedFileName));
        var bytes = PlatformHostingExtensions.LoadOrCreateKey(generated);
        if (bytes.Length != LocalKeyEncryptionKey.KeySize)
        {
            throw new InvalidOperationException(
                $"{generated} must hold {LocalKeyEncryptionKey.KeySize} bytes; set OpenCdn:Keys:EncryptionKey or restore the file.");
        }
        return new LocalKeyEncryptionKey(bytes, $"the key-encryption key generated in {generated} (OpenCdn:Keys:EncryptionKey is not set)");
    }

    /// <summary>The 32 bytes a base64 string stands for; null when it is not base64 or not 32 bytes.</summary>
    public static byte[]? Decode(string base64)
    {
        var buffer = new byte[LocalKeyEncryptionKey.KeySize + 3];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var length) && length == LocalKeyEncryptionKey.KeySize
            ? buffer[..length]
            : null;
    }

    private static byte[]? FromFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > 1024)
        {
            return null;
        }
        var content = File.ReadAllBytes(path);
        return content.Length == LocalKeyEncryptionKey.KeySize ? content : Decode(System.Text.Encoding.ASCII.GetString(content));
    }
}
