using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// The edge content token, a path segment of <c>{edgeBaseUrl}/c/{token}/{titleId}/v{version}/{file}</c>:
/// <c>{keyId}.{expiresUnix}.{sig}</c> with <c>sig = base64url(HMAC-SHA256(key[keyId], "{keyId}|{expiresUnix}|{scope}"))</c>,
/// where the scope is the title id (or <c>peer|{titleId}</c>, see <see cref="PeerToken"/>). The control plane issues
/// it with the key of the one server it names (see the README's token scheme); that server checks it locally.
/// One string per token: the key id is <c>[A-Za-z0-9_-]</c>, the expiry is a <see cref="UnixExpiry"/> no later than
/// the key's <see cref="SigningKey.NotAfter"/>, the signature is exactly what <see cref="Issue"/> writes.
/// </summary>
public static class DeliveryToken
{
    private const int SignatureLength = 43; // base64url of 32 bytes, unpadded
    private const int MaxKeyIdLength = 64;
    private const int MaxLength = MaxKeyIdLength + 1 + UnixExpiry.MaxDigits + 1 + SignatureLength;
    private static readonly SearchValues<char> KeyIdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>A token for <paramref name="scope"/>; it never outlives its key, so the expiry is capped at the key's end.</summary>
    public static string Issue(SigningKey key, string scope, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expiresUnix = (expires < key.NotAfter ? expires : key.NotAfter).ToUnixTimeSeconds();
        if (!UnixExpiry.IsValid(expiresUnix))
        {
            throw new ArgumentOutOfRangeException(nameof(expires), expires, "A token's expiry must be after 1970 and have at most 11 digits.");
        }
        Span<char> signature = stackalloc char[SignatureLength];
        Sign(key.Secret, key.Id, expiresUnix, scope, signature);
        return string.Concat(key.Id, ".", UnixExpiry.Format(expiresUnix), ".", new string(signature));
    }

    /// <summary>Checks a token for <paramref name="scope"/> at <paramref name="now"/>; never throws on bad input.</summary>
    public static TokenCheck Check(string? token, string scope, DateTimeOffset now, Func<string, SigningKey?> findKey) =>
        Check(token, scope, now, findKey, out _);

    /// <summary>As above; a valid token also gives the instant it stops being valid (its expiry or its key's end).</summary>
    public static TokenCheck Check(string? token, string scope, DateTimeOffset now, Func<string, SigningKey?> findKey, out DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(findKey);
        validUntil = default;
        if (!TrySplit(token, out var keyId, out var expiresUnix, out var signature))
        {
            return TokenCheck.Malformed;
        }
        if (findKey(keyId) is not { } key)
        {
            return TokenCheck.UnknownKey;
        }
        if (expiresUnix > key.NotAfter.ToUnixTimeSeconds())
        {
            return TokenCheck.Malformed; // no token of this key was ever issued to last that long
        }
        Span<char> expected = stackalloc char[SignatureLength];
        Sign(key.Secret, keyId, expiresUnix, scope, expected);
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(signature)))
        {
            // A valid token for another title, or another server's, fails here too: the scope and key are what is signed.
            return TokenCheck.BadSignature;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(expiresUnix + 1); // valid through its last second
        if (now >= expires)
        {
            return TokenCheck.Expired;
        }
        validUntil = expires < key.NotAfter ? expires : key.NotAfter;
        return TokenCheck.Valid;
    }

    private static bool TrySplit(string? token, out string keyId, out long expiresUnix, out ReadOnlySpan<char> signature)
    {
        keyId = "";
        expiresUnix = 0;
        signature = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return false;
        }
        var span = token.AsSpan();
        var first = span.IndexOf('.');
        var second = first < 0 ? -1 : span[(first + 1)..].IndexOf('.') + first + 1;
        if (first is <= 0 or > MaxKeyIdLength || second <= first || span.Length - second - 1 != SignatureLength
            || span[..first].ContainsAnyExcept(KeyIdCharacters)
            || !UnixExpiry.TryParse(span[(first + 1)..second], out expiresUnix))
        {
            return false;
        }
        keyId = token[..first];
        signature = span[(second + 1)..];
        return true;
    }

    private static void Sign(ReadOnlySpan<byte> secret, string keyId, long expiresUnix, string scope, Span<char> signature)
    {
        var length = Encoding.UTF8.GetMaxByteCount(keyId.Length + UnixExpiry.MaxDigits + scope.Length + 2);
        Span<byte> message = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(keyId, message);
        message[written++] = (byte)'|';
        expiresUnix.TryFormat(message[written..], out var digits, default, CultureInfo.InvariantCulture);
        written += digits;
        message[written++] = (byte)'|';
        written += Encoding.UTF8.GetBytes(scope, message[written..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, message[..written], mac);
        Base64Url.EncodeToChars(mac, signature);
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
