using Microsoft.Extensions.Options;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.Platform;

namespace OpenCdn.ControlPlane.Origin;

internal static class OriginSetup
{
    /// <summary>Origin as a playback server, the delivery key ring and the package reader.</summary>
    public static WebApplicationBuilder AddPlayback(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new DeliveryKeyRing(
            Path.Combine(services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataFolder, "keys"),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<OriginPlayback>();
        builder.Services.AddSingleton<PackageReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOriginEndpoint(this IEndpointRouteBuilder app)
    {
        OriginEndpoint.Map(app);
        OriginPlayback.MapOriginPlayback(app);
        return app;
    }
}
