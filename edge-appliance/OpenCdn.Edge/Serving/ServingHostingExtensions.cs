using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.Direct;
using OpenCdn.Edge.Serving.Http2;
using OpenCdn.Edge.Serving.Tls;

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
        builder.Services.AddSingleton<DirectSettings>();
        builder.Services.AddSingleton<DirectConnections>();
        var tlsEndpoints = new TlsEndpoints();
        builder.Services.AddSingleton(tlsEndpoints);
        builder.Services.AddSingleton<TlsRequests>();
        builder.Services.AddSingleton<Http2Requests>();
        builder.Services.AddSingleton<TlsConnections>();
        builder.Services.AddSingleton<MemoryTrimmer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryTrimmer>());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits); // e.g. MaxConcurrentConnections, KeepAliveTimeout
            kestrel.AddServerHeader = false; // the direct path sends none either: both answer alike, and say nothing of the software
            // Connection middleware, outermost first: the gauge, then the direct path for plaintext HTTP/1.1 content or, on
            // HTTPS endpoints, the direct TLS path, which does the TLS itself (Kestrel's UseHttps then stands aside). Both
            // sit outside Kestrel's TLS (endpoint defaults come before UseHttps). The delegates below run when Kestrel builds
            // the endpoint, after its configuration (Urls, Kestrel:Endpoints, a certificate) decided whether it serves TLS.
            kestrel.ConfigureHttpsDefaults(tlsEndpoints.HttpsSeen);
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                tlsEndpoints.EndpointSeen(listen);
                listen
                    .Use(next => CountConnections(next, kestrel.ApplicationServices.GetRequiredService<EdgeMetrics>()))
                    .Use(next => Scheme(listen) switch
                    {
                        "http" => kestrel.ApplicationServices.GetRequiredService<DirectConnections>().Use(next),
                        "https" => kestrel.ApplicationServices.GetRequiredService<TlsConnections>().Use(listen, next),
                        _ => next,
                    });
            });
        });
        return builder;
    }

    /// <summary>
    /// The scheme of an endpoint's address: Kestrel names an endpoint by its address, with the scheme <c>https</c> once
    /// TLS is configured on it. An address that is not an absolute URI (a file handle from socket activation, say) has
    /// none: without knowing, neither direct path goes on it and Kestrel serves.
    /// </summary>
    private static string? Scheme(ListenOptions listen) =>
        Uri.TryCreate(listen.ToString(), UriKind.Absolute, out var address) ? address.Scheme : null;

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
