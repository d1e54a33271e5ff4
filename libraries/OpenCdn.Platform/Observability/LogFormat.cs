using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCdn.Platform.Observability;

/// <summary>
/// <c>OpenCdn:Logging:Format</c>: <c>plain</c> (the default console) or <c>json</c>, one JSON object per line with UTC
/// timestamps and scopes (the trace and span ids among them), for a log shipper. Shared as source with the edge.
/// </summary>
public static class LogFormat
{
    public const string Key = "OpenCdn:Logging:Format";

    public static IHostApplicationBuilder AddLogFormat(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var format = builder.Configuration[Key];
        if (string.IsNullOrEmpty(format) || string.Equals(format, "plain", StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }
        if (!string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Key} must be 'plain' or 'json', not '{format}'.");
        }
        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "O"; // ISO 8601, with the offset (+00:00)
        });
        return builder;
    }
}
