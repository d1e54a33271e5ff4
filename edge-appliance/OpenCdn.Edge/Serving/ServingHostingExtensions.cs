using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Direct;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Composition of serving: the CORS policy for players' origins, and on every Kestrel endpoint the connection gauge and
/// the direct path.
/// </summary>
internal static class ServingHostingExtensions
{
    public static WebApplicationBuilder AddServing(this WebApplicationBuilder builder)
    {
        builder.Services.AddCors();
        // Requests run on the thread that read them, as in an nginx worker: the serving path never waits on anything but
        // page-cache reads, and a hop to the thread pool per request cost a fifth of 1 KB ranges' throughput
        // (docs/benchmarks.md). The installed unit also sets DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.AddOptions<CorsOptions>()
            .Configure<IOptions<EdgeOptions>>((cors, edge) => cors.AddPolicy(ContentEndpoints.CorsPolicy, policy => policy
                .WithOrigins([.. edge.Value.CorsOrigins])
                .WithMethods(HttpMethods.Get, HttpMethods.Head)
                .WithHeaders("Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")
                .WithExposedHeaders("Content-Range", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified")
                .SetPreflightMaxAge(TimeSpan.FromDays(1))));
        builder.Services.AddSingleton<ServingFaults>();
        builder.Services.AddSingleton<DirectConnections>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits); // e.g. MaxConcurrentConnections, KeepAliveTimeout
            kestrel.AddServerHeader = false; // the direct path sends none either: both answer alike, and say nothing of the software
            // Connection middleware, outermost first: the gauge, then the direct path for plaintext HTTP/1.1 content. Both
            // sit outside TLS (endpoint defaults come before UseHttps), so the direct path goes only on plaintext endpoints.
            // The delegates below run when Kestrel builds the endpoint, after its configuration (Urls, Kestrel:Endpoints,
            // a certificate) decided whether it serves TLS.
            kestrel.ConfigureEndpointDefaults(listen => listen
                .Use(next => CountConnections(next, kestrel.ApplicationServices.GetRequiredService<EdgeMetrics>()))
                .Use(next => IsPlaintextHttp(listen) ? kestrel.ApplicationServices.GetRequiredService<DirectConnections>().Use(next) : next));
        });
        return builder;
    }

    /// <summary>
    /// True for an endpoint whose address has the <c>http</c> scheme: Kestrel names an endpoint by its address, with the
    /// scheme <c>https</c> once TLS is configured on it. An address that is not an absolute URI (a file handle from socket
    /// activation, say) counts as not plaintext: without knowing, the direct path stays out and Kestrel serves.
    /// </summary>
    internal static bool IsPlaintextHttp(ListenOptions listen) =>
        Uri.TryCreate(listen.ToString(), UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttp;

    private static ConnectionDelegate CountConnections(ConnectionDelegate next, EdgeMetrics metrics) => async connection =>
    {
        metrics.ConnectionOpened();
        try
        {
            await next(connection);
        }
        finally
        {
            metrics.ConnectionClosed();
        }
    };
}
