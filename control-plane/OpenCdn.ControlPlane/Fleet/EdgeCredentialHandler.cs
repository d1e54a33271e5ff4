using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Edges;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Authenticates an edge by the credential it got at registration (<c>Authorization: Bearer {edgeId}.{secret}</c>).
/// Only edge routes use this scheme: user tokens do not pass it, and an edge credential is not a user token.
/// </summary>
internal sealed class EdgeCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, EdgeStore edges)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EdgeCredential";
    public const string Policy = "edge";
    public const string EdgeIdClaim = "edge_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var edgeId = await edges.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (edgeId is null)
        {
            return AuthenticateResult.Fail("Unknown edge credential.");
        }
        var identity = new ClaimsIdentity([new Claim(EdgeIdClaim, edgeId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
