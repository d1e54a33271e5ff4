using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenCdn.ControlPlane.Keys;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>JWT bearer authentication and the role policies, for the embedded issuer or an external one.</summary>
internal static class AuthSetup
{
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var key = new SymmetricSecurityKey(provider.GetRequiredService<PlatformKeys>().Jwt)
            {
                KeyId = "embedded",
            };
            return new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        });
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<UserDirectory>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningCredentials, TimeProvider>((jwt, auth, credentials, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = time;
                jwt.TokenValidationParameters.RoleClaimType = "role";
                jwt.TokenValidationParameters.NameClaimType = "sub";
                jwt.TokenValidationParameters.ValidAudience = auth.Value.Audience;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                ValidatedTokenCache.Wrap(jwt.TokenHandlers, time);
                if (auth.Value.IsEmbeddedIssuer)
                {
                    jwt.TokenValidationParameters.ValidIssuer = auth.Value.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = credentials.Key;
                }
                else
                {
                    jwt.Authority = auth.Value.Authority;
                }
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.AdminPolicy, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Roles.ViewerPolicy, policy => policy.RequireRole(Roles.Viewer, Roles.Admin));
        return builder;
    }
}
