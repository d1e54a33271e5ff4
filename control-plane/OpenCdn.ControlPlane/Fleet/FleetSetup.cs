using Microsoft.AspNetCore.Authentication;

namespace OpenCdn.ControlPlane.Fleet;

internal static class FleetSetup
{
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.Section);
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, EdgeCredentialHandler>(EdgeCredentialHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(EdgeCredentialHandler.Policy, policy => policy
            .AddAuthenticationSchemes(EdgeCredentialHandler.SchemeName)
            .RequireClaim(EdgeCredentialHandler.EdgeIdClaim));
        return builder;
    }
}
