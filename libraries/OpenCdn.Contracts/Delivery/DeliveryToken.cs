using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// The edge content token, a path segment of <c>{edgeBaseUrl}/c/{token}/{titleId}/v{version}/{file}</c>:
/// <c>{keyId}.{expiresUnix}.{sig}</c> with <c>sig = base64url(HMAC-SHA256(key[keyId], "{keyId}|{expiresUnix}|{titleId}"))</c>.
/// The control plane issues it; edges check it locally against their key ring.
/// </summary>
public static class DeliveryToken
{
    private const int SignatureLength = 43; // base64url of 32 bytes, unpadded
    private const int MaxKeyIdLength = 64;

    public static string Issue(SigningKey key, string titleId, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expiresUnix = expires.ToUnixTimeSeconds();
        return $"{key.Id}.{expiresUnix.ToString(CultureInfo.InvariantCulture)}.{Sign(key.Secret, key.Id, expiresUnix, titleId)}";
    }

    /// <summary>Checks a token for <paramref name="titleId"/> at <paramref name="now"/>; never throws on bad input.</summary>
    public static TokenCheck Check(string? token, string titleId, DateTimeOffset now, Func<string, byte[]?> findKey)
    {
        ArgumentNullException.ThrowIfNull(findKey);
        if (string.IsNullOrEmpty(token) || token.Length > MaxKeyIdLength + 24 + SignatureLength)
        {
            return TokenCheck.Malformed;
        }
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length is 0 or > MaxKeyIdLength || parts[2].Length != SignatureLength
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix))
        {
            return TokenCheck.Malformed;
        }
        if (findKey(parts[0]) is not { } secret)
        {
            return TokenCheck.UnknownKey;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, parts[0], expiresUnix, titleId));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            // A valid token for another title fails here too: the title is part of what is signed.
            return TokenCheck.BadSignature;
        }
        return now.ToUnixTimeSeconds() > expiresUnix ? TokenCheck.Expired : TokenCheck.Valid;
    }

    private static string Sign(byte[] secret, string keyId, long expiresUnix, string titleId)
    {
        var message = Encoding.UTF8.GetBytes($"{keyId}|{expiresUnix.ToString(CultureInfo.InvariantCulture)}|{titleId}");
        return Base64Url.EncodeToString(HMACSHA256.HashData(secret, message));
    }
}

/// <summary>Outcome of <see cref="DeliveryToken.Check"/>; every value but <see cref="Valid"/> is a 403 at the edge.</summary>
public enum TokenCheck
{
    Valid,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
}
