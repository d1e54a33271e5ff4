using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Keys;
using OpenCdn.ControlPlane.Origin;
using OpenCdn.ControlPlane.Packages;

namespace OpenCdn.ControlPlane.Playback;

internal static class PlaybackSetup
{
    /// <summary>Playback sessions, the public URL, origin as a playback server, and the client address rules.</summary>
    public static WebApplicationBuilder AddPlayback(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicUrl>();
        services.AddSingleton(s => new SessionCodec(s.GetRequiredService<PlatformKeys>().Session, s.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OriginPlayback>();
        services.AddSingleton<PackageReader>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PlaybackOptions>>((forwarded, playback) =>
        {
            // Only the configured proxies are believed (not even loopback by default): anyone else could claim any address.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = null;
            foreach (var proxy in playback.Value.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(PlaybackOptions.ParseProxy(proxy)!.Value);
            }
        });
        return builder;
    }
}
