using Prometheus;

namespace OpenCdn.ControlPlane.Hosting;

/// <summary>What every OpenCdn HTTP service has: ProblemDetails errors, /healthz, /metrics, the OpenAPI document and the start page.</summary>
internal static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseHttpMetrics();
        app.MapHealthChecks("/healthz");
        app.MapMetrics("/metrics");
        app.MapOpenApi();
        return app;
    }
}
