using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// What every direct path (plaintext HTTP/1.1, HTTP/1.1 over TLS, HTTP/2) takes from configuration, derived once: the
/// content policy's CORS lines, the <c>Cache-Control</c> value, how long to wait for a client's next request and how long
/// a client may stall a response.
/// </summary>
internal sealed class DirectSettings(
    ICorsService cors, IOptions<CorsOptions> corsOptions, IOptions<EdgeOptions> options, IOptions<KestrelServerOptions> kestrel)
{
    public CorsLines Cors { get; } = new(cors, corsOptions.Value.GetPolicy(ContentEndpoints.CorsPolicy));

    public string CacheControl { get; } = ContentEndpoints.CacheControl(options.Value.CacheMaxAgeSeconds);

    /// <summary>Kestrel's keep-alive timeout, or no limit when it is set past a day.</summary>
    public TimeSpan KeepAlive { get; } =
        kestrel.Value.Limits.KeepAliveTimeout > TimeSpan.FromDays(1) ? Timeout.InfiniteTimeSpan : kestrel.Value.Limits.KeepAliveTimeout;

    public TimeSpan SendTimeout { get; } = options.Value.SendTimeout;
}
