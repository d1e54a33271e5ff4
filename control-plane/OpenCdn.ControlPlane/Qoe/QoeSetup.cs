namespace OpenCdn.ControlPlane.Qoe;

internal static class QoeSetup
{
    public static WebApplicationBuilder AddQoe(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<QoeAggregator>();
        builder.Services.AddSingleton<QoeSessions>();
        return builder;
    }
}
