using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>Embedded mode's JWT issuer: HMAC-SHA256 with the key kept in the data folder.</summary>
public sealed class TokenIssuer(SigningCredentials credentials, IOptions<AuthOptions> options, TimeProvider time)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(string subject, IEnumerable<string> roles)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var identity = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject), .. roles.Select(r => new Claim("role", r))]);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = identity,
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
        });
        return (token, expires);
    }
}
