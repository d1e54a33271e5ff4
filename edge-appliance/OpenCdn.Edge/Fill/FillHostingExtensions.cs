using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Fill;

/// <summary>Registers the fill agent, its scrubber and their background loops.</summary>
internal static class FillHostingExtensions
{
    public static IServiceCollection AddFill(this IServiceCollection services)
    {
        services.AddHttpClient(RangeDownloader.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new TokenBucket(
            sp.GetRequiredService<IOptions<EdgeOptions>>().Value.FillRateBytesPerSecond, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FillSchedule>();
        services.AddSingleton<FillPlanStore>();
        services.AddSingleton<FillProgressTracker>();
        services.AddSingleton<Inventory>();
        services.AddSingleton<Evictor>();
        services.AddSingleton<DiskBudget>();
        services.AddSingleton<RangeDownloader>();
        services.AddSingleton<FileFetcher>();
        services.AddSingleton<FillAgent>();
        services.AddSingleton<Scrubber>();
        services.AddHostedService<FillService>();
        services.AddHostedService(sp => sp.GetRequiredService<Scrubber>());
        return services;
    }
}
