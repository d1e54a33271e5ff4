using Microsoft.Extensions.Options;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Playback;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Keys;

internal static class KeysSetup
{
    /// <summary>
    /// The platform's keys, kept encrypted in the catalog and shared by every instance: the JWT, session and origin-URL
    /// keys, and the rotating delivery keys. Call after <c>AddCatalog</c>: the keys are read at start once the tables exist.
    /// </summary>
    public static WebApplicationBuilder AddPlatformKeys(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddSecretStore();
        services.AddSingleton<PlatformKeys>();
        services.AddSingleton<LegacyKeyFiles>();
        services.AddSingleton(s =>
        {
            var playback = s.GetRequiredService<IOptions<PlaybackOptions>>().Value;
            var check = s.GetRequiredService<IOptions<KeysOptions>>().Value.CheckInterval;
            // The next key is inserted two checks before it becomes current, so every running instance holds it by then.
            var lead = TimeSpan.FromTicks(Math.Min((check * 2).Ticks, (playback.KeyRotation / 2).Ticks));
            return new DeliveryKeyRing(
                s.GetRequiredService<SecretStore>(), s.GetRequiredService<TimeProvider>(), playback.KeyRotation, playback.SessionLifetime, lead);
        });
        services.AddSingleton(s => new OriginUrlSigner(
            s.GetRequiredService<PlatformKeys>().OriginUrl,
            s.GetRequiredService<IOptions<StorageOptions>>().Value.OriginUrl,
            s.GetRequiredService<TimeProvider>()));
        services.AddHostedService<PlatformKeysLoader>();
        services.AddHostedService<DeliveryKeyRotation>();
        return builder;
    }
}
