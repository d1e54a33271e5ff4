namespace OpenCdn.Edge.ControlPlane;

/// <summary>Registers the control-plane link: client, identity, heartbeat loop.</summary>
internal static class ControlPlaneHostingExtensions
{
    public static IServiceCollection AddControlPlaneLink(this IServiceCollection services)
    {
        services.AddHttpClient(ControlPlaneClient.ClientName);
        services.AddSingleton<ControlPlaneClient>();
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<EdgeStatus>();
        services.AddSingleton<HeartbeatBuilder>();
        services.AddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        return services;
    }
}
