using System.Collections.Concurrent;
using System.Collections.Frozen;
using OpenCdn.Contracts.Delivery;

namespace OpenCdn.Edge.Keys;

/// <summary>
/// <see cref="DeliveryToken.Check"/> with a memory: a player sends one token with every range request of a session, so
/// the edge remembers the tokens it verified and skips the HMAC for them. A remembered token counts only for the title it
/// was verified for, only until it expires or its key's <see cref="SigningKey.NotAfter"/> passes, and only while the key
/// set it was verified against is still the one in force (any key change forgets them all). Only valid tokens are kept,
/// at most <see cref="Capacity"/>; when full, the memory starts over.
/// </summary>
internal sealed class VerifiedTokens(KeyRing keys, TimeProvider time)
{
    public const int Capacity = 16_384;
    private ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private int _count;

    public TokenCheck Check(string token, string titleId)
    {
        var now = time.GetUtcNow();
        var keySet = keys.Current;
        var verified = _verified;
        if (verified.TryGetValue(token, out var seen) && ReferenceEquals(seen.KeySet, keySet) && now < seen.Until
            && string.Equals(seen.TitleId, titleId, StringComparison.Ordinal))
        {
            return TokenCheck.Valid;
        }
        var check = DeliveryToken.Check(token, titleId, now, keys.FindKey, out var validUntil);
        if (check == TokenCheck.Valid)
        {
            Remember(verified, token, titleId, keySet, validUntil);
        }
        return check;
    }

    private void Remember(
        ConcurrentDictionary<string, Verified> verified, string token, string titleId, FrozenDictionary<string, SigningKey> keySet,
        DateTimeOffset validUntil)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _verified = new ConcurrentDictionary<string, Verified>(StringComparer.Ordinal);
            _count = 0;
            return;
        }
        // If the key set changed while the token was checked, the entry never matches (see Check): harmless.
        verified[token] = new Verified(titleId, keySet, validUntil);
    }

    private sealed record Verified(string TitleId, FrozenDictionary<string, SigningKey> KeySet, DateTimeOffset Until);
}
