namespace OpenCdn.ControlPlane.Peers;

internal static class PeerSetup
{
    /// <summary>Peer-assisted delivery's options, swarms and network map (the steering prefix map).</summary>
    public static WebApplicationBuilder AddPeers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PeerOptions>().BindConfiguration(PeerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Swarms>();
        services.AddSingleton<PeerNetworks>();
        services.AddSingleton<PeerTotals>();
        return builder;
    }
}
