using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.ControlPlane.Tests.Auth;

/// <summary>Repeated bearer tokens skip validation, but never past their expiry, never for long, and never when they failed.</summary>
public sealed class ValidatedTokenCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingHandler _inner = new();
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_inner, _clock);

    [Fact]
    public async Task AValidTokenIsValidatedOnceThenServedFromTheCache()
    {
        var token = Token(expiresIn: TimeSpan.FromHours(1));

        var first = await _cache.ValidateTokenAsync(token, new TokenValidationParameters());
        var second = await _cache.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.True(second.IsValid);
        Assert.Equal("viewer-1", second.ClaimsIdentity.Name);
        Assert.Same(first, second);
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public async Task AFailedValidationIsNeverCached()
    {
        var token = Token(expiresIn: TimeSpan.FromHours(1));
        _inner.Reject = true;

        await _cache.ValidateTokenAsync(token, new TokenValidationParameters());
        var again = await _cache.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.False(again.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task ATokenPastItsExpiryIsValidatedAgain()
    {
        var token = Token(expiresIn: TimeSpan.FromSeconds(30));
        await _cache.ValidateTokenAsync(token, new TokenValidationParameters());

        _clock.Advance(TimeSpan.FromSeconds(31));
        _inner.Reject = true; // what the real handler says of an expired token
        var later = await _cache.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.False(later.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task ALongLivedTokenIsValidatedAgainAfterTheCacheLifetime()
    {
        var token = Token(expiresIn: TimeSpan.FromHours(8));
        await _cache.ValidateTokenAsync(token, new TokenValidationParameters());

        _clock.Advance(ValidatedTokenCache.Lifetime - TimeSpan.FromSeconds(1));
        await _cache.ValidateTokenAsync(token, new TokenValidationParameters());
        Assert.Equal(1, _inner.Calls);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _cache.ValidateTokenAsync(token, new TokenValidationParameters());
        Assert.Equal(2, _inner.Calls);
    }

    private string Token(TimeSpan expiresIn)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "viewer-1")]),
            NotBefore = now - TimeSpan.FromMinutes(1),
            IssuedAt = now - TimeSpan.FromMinutes(1),
            Expires = now + expiresIn,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Stands in for the JWT handler: accepts or rejects as told, and counts the calls.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        public int Calls { get; private set; }

        public bool Reject { get; set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            var jwt = new JsonWebToken(token);
            return Task.FromResult(Reject
                ? new TokenValidationResult { IsValid = false, Exception = new SecurityTokenExpiredException("rejected") }
                : new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = jwt,
                    ClaimsIdentity = new ClaimsIdentity(jwt.Claims, "test", "sub", "role"),
                });
        }
    }
}
