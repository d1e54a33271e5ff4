using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenCdn.Steering;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.ControlPlane.Fleet;

internal static class FleetSetup
{
    /// <summary>The edge credential scheme, and the in-memory fleet that steering and fill planning read.</summary>
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        AddChecked<SteeringOptions>(services, "OpenCdn:Steering", o => o.Validate());
        AddChecked<PopularityOptions>(services, "OpenCdn:Popularity", o => o.Validate());
        AddChecked<FillOptions>(services, "OpenCdn:Fill", o => o.Validate());
        services.AddSingleton(s => new FleetBuilder(s.GetRequiredService<IOptions<SteeringOptions>>().Value, s.GetRequiredService<TimeProvider>()));
        services.AddSingleton(
            s => new PopularityTracker(s.GetRequiredService<IOptions<PopularityOptions>>().Value, s.GetRequiredService<TimeProvider>()));
        services.AddSingleton(s =>
        {
            var time = s.GetRequiredService<TimeProvider>();
            var steerer = new Steerer(time, s.GetRequiredService<PopularityTracker>());
            SteeringMetrics.Watch(steerer, time);
            return steerer;
        });
        services.AddSingleton(s => new FillPlanner(s.GetRequiredService<IOptions<FillOptions>>().Value));
        services.AddSingleton<PlanningLease>();
        services.AddSingleton<SharedPlans>();
        services.AddSingleton<FillReplanner>();
        services.AddSingleton<RetiredTitleCollector>();
        services.AddSingleton<EdgeProblems>();
        services.AddSingleton<CatalogFollower>();
        services.AddSingleton<FleetSync>();
        services.AddHostedService(s => s.GetRequiredService<FleetSync>());

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, EdgeCredentialHandler>(EdgeCredentialHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(EdgeCredentialHandler.Policy, policy => policy
            .AddAuthenticationSchemes(EdgeCredentialHandler.SchemeName)
            .RequireClaim(EdgeCredentialHandler.EdgeIdClaim));
        return builder;
    }

    /// <summary>Binds options whose class says what is wrong with them; a bad value stops the start with that message.</summary>
    private static void AddChecked<T>(IServiceCollection services, string section, Func<T, string?> check)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new Checked<T>(section, check));
    }

    private sealed class Checked<T>(string section, Func<T, string?> check) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            check(options) is { } problem ? ValidateOptionsResult.Fail($"{section}: {problem}") : ValidateOptionsResult.Success;
    }
}
