using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OpenCdn.Platform.Storage;

/// <summary>
/// Signs and checks the time-limited origin URLs that embedded mode hands to edges instead of presigned S3 URLs:
/// <c>{baseUrl}/{key}?expires={unix}&amp;signature={base64url(HMAC-SHA256(key, "{key}|{expires}"))}</c>.
/// </summary>
public sealed class OriginUrlSigner(byte[] key, Uri baseUrl, TimeProvider time)
{
    public Uri Sign(string objectKey, TimeSpan lifetime)
    {
        ObjectKey.Validate(objectKey);
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var path = string.Join('/', objectKey.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{path}?expires={expires}&signature={Signature(objectKey, expires)}");
    }

    /// <summary>True when <paramref name="signature"/> was made by <see cref="Sign"/> for this key and has not expired.</summary>
    public bool IsValid(string objectKey, long expires, string? signature)
    {
        if (signature is null || time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(objectKey, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string objectKey, long expires)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{objectKey}|{expires}"));
        return Base64Url.EncodeToString(mac);
    }
}
