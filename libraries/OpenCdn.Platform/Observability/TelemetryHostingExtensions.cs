using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpenCdn.Platform.Observability;

/// <summary>
/// OpenTelemetry for a service: traces (its own <c>OpenCdn.*</c> sources, ASP.NET Core requests, outgoing HTTP and
/// PostgreSQL calls) and metrics (its <c>OpenCdn.*</c> meters, ASP.NET Core, HTTP client, runtime) exported over OTLP —
/// only when an endpoint is configured. Otherwise nothing is registered: no listener, so every
/// <c>ActivitySource.StartActivity</c> returns null and costs nothing.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>The sources and meters every OpenCdn service names its own spans and instruments after.</summary>
    public const string SourcePrefix = "OpenCdn.*";

    private static readonly string[] StandardEndpoints =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException($"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http(s) URL, not '{endpoint}'.");
        }
        var standard = StandardEndpoints.Any(name => !string.IsNullOrEmpty(configuration[name]));
        if ((bool.TryParse(configuration["OTEL_SDK_DISABLED"], out var disabled) && disabled) || (options.OtlpEndpoint is null && !standard))
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService(serviceName, serviceVersion: typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString());
            }
        });
        telemetry.WithTracing(tracing =>
        {
            if (string.IsNullOrEmpty(configuration["OTEL_TRACES_SAMPLER"]))
            {
                tracing.SetSampler(new ParentBasedSampler(new BackgroundCallsDropped()));
            }
            tracing.AddSource(SourcePrefix, "Npgsql")
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = Traced)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => Export(exporter, options, "v1/traces"));
        });
        telemetry.WithMetrics(metrics => metrics
            .AddMeter(SourcePrefix)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddOtlpExporter(exporter => Export(exporter, options, "v1/metrics")));
        return builder;
    }

    /// <summary>Scrapes and probes are not traced: they would bury the requests that matter.</summary>
    private static bool Traced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
        && !context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);

    /// <summary>
    /// <c>OpenCdn:Telemetry:OtlpEndpoint</c> wins over the standard variables; without it they alone decide (endpoint,
    /// protocol, headers, timeouts), as the OpenTelemetry specification says.
    /// </summary>
    private static void Export(OtlpExporterOptions exporter, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpEndpoint is not { } endpoint)
        {
            return;
        }
        exporter.Protocol = options.OtlpProtocol;
        // OTLP/HTTP names one URL per signal; an endpoint set in code is taken as that URL, so the signal's path is added here.
        exporter.Endpoint = options.OtlpProtocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{signalPath}")
            : endpoint;
    }
}
