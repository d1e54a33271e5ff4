using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.ControlPlane.RateLimits;
using OpenCdn.Contracts.Api;

namespace OpenCdn.ControlPlane.Auth;

/// <summary><c>POST /api/v1/auth/token</c>: the embedded issuer trades a user name and password for a JWT.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", IssueToken).AllowAnonymous().WithTags("Auth");
        // Load (or on first start create) the users now, so the initial credentials exist before anyone asks.
        _ = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<UserDirectory>();
        return api;
    }

    private static Results<Ok<TokenResponse>, ProblemHttpResult> IssueToken(
        TokenRequest request, HttpContext context, UserDirectory users, TokenIssuer issuer, SignInThrottle throttle, IOptions<AuthOptions> options)
    {
        if (!options.Value.IsEmbeddedIssuer)
        {
            return TypedResults.Problem("Tokens come from the configured external issuer.", statusCode: StatusCodes.Status404NotFound);
        }
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password) || request.Username.Length > 200
            || request.Password.Length > 1000)
        {
            return TypedResults.Problem("A username and a password are required.", statusCode: StatusCodes.Status400BadRequest);
        }
        var address = RateLimitSetup.ClientKey(context);
        if (throttle.Blocked(address, request.Username) is { } retryAfter)
        {
            return RateLimitSetup.TooManyRequests(context, retryAfter);
        }
        var roles = users.Authenticate(request.Username, request.Password);
        if (roles is null)
        {
            throttle.Failed(address, request.Username);
            return TypedResults.Problem("Unknown user or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, expiresAt) = issuer.Issue(request.Username, roles);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", expiresAt, roles));
    }
}
