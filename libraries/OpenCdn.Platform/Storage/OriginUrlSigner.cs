using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OpenCdn.Contracts.Delivery;

namespace OpenCdn.Platform.Storage;

/// <summary>
/// Signs and checks the time-limited origin URLs that embedded mode hands to edges instead of presigned S3 URLs:
/// <c>{baseUrl}/{key}?expires={unix}&amp;signature={base64url(HMAC-SHA256(key, "{key}|{expires}"))}</c>, the expiry
/// written one way only (<see cref="UnixExpiry"/>) and never more than <see cref="MaxLifetime"/> away.
/// </summary>
public sealed class OriginUrlSigner(byte[] key, Uri baseUrl, TimeProvider time)
{
    /// <summary>The longest a signed URL lives: as long as S3 lets a presigned URL live, so both run modes agree.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    /// <summary>How far clocks may be out of step between the signer and the checker (instances behind one balancer).</summary>
    private const long SkewSeconds = 60;

    public Uri Sign(string objectKey, TimeSpan lifetime)
    {
        ObjectKey.Validate(objectKey);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var path = string.Join('/', objectKey.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{path}?expires={UnixExpiry.Format(expires)}&signature={Signature(objectKey, expires)}");
    }

    /// <summary>
    /// True when <paramref name="expires"/> and <paramref name="signature"/> are exactly what <see cref="Sign"/> wrote for
    /// this key, and the URL has not expired. Never throws on bad input.
    /// </summary>
    public bool IsValid(string objectKey, string? expires, string? signature)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (signature is null || !UnixExpiry.TryParse(expires, out var expiresUnix) || now > expiresUnix
            || expiresUnix > now + (long)MaxLifetime.TotalSeconds + SkewSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(objectKey, expiresUnix));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string objectKey, long expires)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{objectKey}|{expires}"));
        return Base64Url.EncodeToString(mac);
    }
}
