using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Platform;

namespace OpenCdn.Catalog;

public static class CatalogHostingExtensions
{
    /// <summary>
    /// The catalog on <c>ConnectionStrings:Catalog</c>: PostgreSQL when it names a Host, else SQLite; unset means
    /// <c>{DataFolder}/catalog.db</c>. Tables are created at start.
    /// </summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
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
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<OpenCdn.Catalog.Edges.EdgeStore>();
        builder.Services.AddHostedService<CatalogMigration>();
        return builder;
    }
}

/// <summary>Creates the catalog's tables before the host starts serving.</summary>
internal sealed class CatalogMigration(CatalogDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
