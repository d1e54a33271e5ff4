using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Chunks;
using OpenCdn.Catalog.Coordination;
using OpenCdn.Catalog.Edges;
using OpenCdn.Catalog.FillPlans;
using OpenCdn.Catalog.Keys;
using OpenCdn.Catalog.Popularity;
using OpenCdn.Catalog.Stats;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Platform;

namespace OpenCdn.Catalog;

public static class CatalogHostingExtensions
{
    /// <summary>
    /// The catalog as the control plane owns it: titles, uploads, the edge fleet, leases, popularity, fill plans and the
    /// fleet's statistics, with its tables created (or brought up to date) at start. See <see cref="AddTitleCatalog"/> for
    /// the database.
    /// </summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddTitleCatalog();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<MultipartUploadStore>();
        builder.Services.AddSingleton<EdgeStore>();
        builder.Services.AddSingleton<FillPlanStore>();
        builder.Services.AddSingleton<LeaseStore>();
        builder.Services.AddSingleton<PopularityStore>();
        builder.Services.AddSingleton<QoeStatsStore>();
        builder.Services.AddSingleton<SteeringOutcomeStore>();
        builder.Services.AddHostedService<CatalogMigration>();
        return builder;
    }

    /// <summary>
    /// The secrets table (<see cref="SecretStore"/>) under the key-encryption key of <c>OpenCdn:Keys</c>, which is
    /// checked at start. Only the control plane holds it: workers and edges never see the platform's keys.
    /// </summary>
    public static IHostApplicationBuilder AddSecretStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeysOptions>().BindConfiguration(KeysOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IKeyEncryptionKey>(services => KeyEncryptionKeySource.Resolve(
            services.GetRequiredService<IOptions<KeysOptions>>().Value, services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataFolder));
        builder.Services.AddSingleton<SecretStore>();
        return builder;
    }

    /// <summary>
    /// The catalog as a worker uses it: titles only, read and written, never migrated (the tables are the control
    /// plane's). On <c>ConnectionStrings:Catalog</c>: PostgreSQL when it names a Host, else SQLite; unset means
    /// <c>{DataFolder}/catalog.db</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTitleCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section);
        builder.Services.AddSingleton(services =>
        {
            var configured = services.GetRequiredService<IConfiguration>().GetConnectionString("Catalog");
            var data = services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataFolder;
            if (string.IsNullOrWhiteSpace(configured))
            {
                Directory.CreateDirectory(data);
                configured = $"Data Source={Path.Combine(data, "catalog.db")}";
            }
            return CatalogDatabase.Create(configured);
        });
        builder.Services.AddSingleton<TitleStore>();
        builder.Services.AddSingleton<ChunkStore>();
        return builder;
    }
}

/// <summary>Creates the catalog's tables before the host starts serving.</summary>
internal sealed class CatalogMigration(CatalogDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
