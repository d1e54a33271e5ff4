using OpenCdn.Contracts;
using OpenCdn.Platform.Observability;
using Prometheus;

namespace OpenCdn.ControlPlane.Hosting;

/// <summary>
/// What every OpenCdn HTTP service has: ProblemDetails errors, /healthz, /metrics, the OpenAPI document, the start page,
/// the configured log format and, when an OTLP endpoint is configured, OpenTelemetry traces and metrics.
/// </summary>
internal static class ServiceDefaults
{
    public const string ServiceName = "opencdn-control-plane";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddLogFormat();
        builder.AddTelemetry(ServiceName);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            foreach (var converter in ContractJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter); // the Web defaults plus the contracts' enums: ContractJson
            }
        });
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The pages and their scripts: API requests never look for a file on disk.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal), pages =>
        {
            pages.UseDefaultFiles();
            pages.UseStaticFiles();
        });
        app.UseHttpMetrics();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz");
        app.MapMetrics("/metrics");
        app.MapOpenApi();
        return app;
    }
}
