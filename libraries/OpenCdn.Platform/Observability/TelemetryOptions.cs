using OpenTelemetry.Exporter;

namespace OpenCdn.Platform.Observability;

/// <summary>
/// <c>OpenCdn:Telemetry</c>: where traces and metrics go (OTLP). Without an endpoint here or in the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables, nothing is collected or sent.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenCdn:Telemetry";

    /// <summary>An OTLP receiver (a collector): <c>http://collector:4318</c> for OTLP/HTTP, <c>http://collector:4317</c> for gRPC.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How to speak to <see cref="OtlpEndpoint"/>: OTLP/HTTP with protobuf bodies (the default) or gRPC.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.HttpProtobuf;
}
