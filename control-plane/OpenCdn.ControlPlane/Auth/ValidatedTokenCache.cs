using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>
/// Remembers bearer tokens that validated, for at most <see cref="Lifetime"/> and never past their own expiry (no clock
/// skew), so a viewer's repeated calls skip parsing and the signature check. Only successes are kept, and at most
/// <see cref="Capacity"/> of them. Validation parameters are the scheme's and do not vary per request; with an external
/// issuer, a signing key it withdraws stays trusted for tokens seen in the last <see cref="Lifetime"/>.
/// </summary>
internal sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time) : TokenHandler
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);

    /// <summary>Puts the cache in front of the scheme's one token handler.</summary>
    public static void Wrap(IList<TokenHandler> handlers, TimeProvider time)
    {
        var inner = handlers.Single();
        handlers.Clear();
        handlers.Add(new ValidatedTokenCache(inner, time));
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(token, out var entry) && now < entry.Until)
        {
            return entry.Result;
        }
        var result = await inner.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo != DateTime.MinValue)
        {
            if (_valid.Count >= Capacity)
            {
                _valid.Clear();
            }
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
            _valid[token] = (result, expires < now + Lifetime ? expires : now + Lifetime);
        }
        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);
}
