using OpenCdn.Edge.Content;
using OpenCdn.Edge.ControlPlane;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving;
using OpenCdn.Platform.Observability;
using Microsoft.Extensions.Options;
using Prometheus;

namespace OpenCdn.Edge.Hosting;

/// <summary>Composition of the appliance: options, the verified store, serving, fill and the control-plane link.</summary>
internal static class EdgeHostingExtensions
{
    /// <summary>Environment variable naming the installer's <c>/etc/opencdn/edge.json</c>; <c>edge.local.json</c> beside it is read too.</summary>
    public const string ConfigFileVariable = "OPENCDN_EDGE_CONFIG";

    public static WebApplicationBuilder AddEdgeAppliance(this WebApplicationBuilder builder)
    {
        if (Environment.GetEnvironmentVariable(ConfigFileVariable) is { Length: > 0 } configFile)
        {
            // The installer owns edge.json; the operator's own settings live beside it in edge.local.json and win.
            builder.Configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
            builder.Configuration.AddJsonFile(
                Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile))!, "edge.local.json"), optional: true, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
        }
        builder.Host.UseSystemd();
        builder.AddLogFormat(); // after UseSystemd: json wins over the journal's format when asked for
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<EdgeHealthCheck>("edge");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EdgeMetrics>();
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddSingleton<ContentCatalog>();
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddSingleton<VerifiedTokens>();
        builder.Services.AddFill();
        builder.Services.AddControlPlaneLink();
        builder.AddServing();
        return builder;
    }

    public static WebApplication MapEdgeAppliance(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<ContentFastPath>(); // before routing: the common content request never reaches the router
        app.UseRouting();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseMiddleware<ServingMetricsMiddleware>();
        app.MapHealthChecks("/healthz");
        app.MapMetrics("/metrics", app.Services.GetRequiredService<EdgeMetrics>().Registry);
        app.MapContentEndpoints();
        return app;
    }
}
