namespace OpenCdn.ControlPlane.Stats;

internal static class StatsSetup
{
    /// <summary>The fleet's steering and QoE totals in the catalog database, flushed by each instance in the background.</summary>
    public static WebApplicationBuilder AddStats(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StatsOptions>().BindConfiguration(StatsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SteeringTotals>();
        services.AddHostedService(s => s.GetRequiredService<SteeringTotals>());
        services.AddSingleton<QoeTotals>();
        services.AddHostedService(s => s.GetRequiredService<QoeTotals>());
        return builder;
    }
}
