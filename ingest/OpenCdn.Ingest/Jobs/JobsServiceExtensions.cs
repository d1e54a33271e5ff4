namespace OpenCdn.Ingest.Jobs;

internal static class JobsServiceExtensions
{
    /// <summary>What runs jobs: single-pass transcodes, and the planning, parts and assembly of chunked ones.</summary>
    public static IServiceCollection AddIngestJobs(this IServiceCollection services)
    {
        services.AddSingleton<MasterSource>();
        services.AddSingleton<MasterCacheFolder>();
        services.AddSingleton<MasterCache>();
        services.AddSingleton<VisibilityKeeper>();
        services.AddSingleton<PackagePublisher>();
        services.AddSingleton<ChunkPlanner>();
        services.AddSingleton<ChunkAssembler>();
        services.AddSingleton<ChunkRunner>();
        services.AddSingleton<TranscodeRunner>();
        return services;
    }
}
