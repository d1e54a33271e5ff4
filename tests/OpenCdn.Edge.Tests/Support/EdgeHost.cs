using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>The edge appliance as Program composes it, on real Kestrel at 127.0.0.1:0, over a data folder of its own.</summary>
public sealed class EdgeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EdgeHost(WebApplication app, string dataFolder, Uri baseUrl)
    {
        _app = app;
        DataFolder = dataFolder;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public IServiceProvider Services => _app.Services;

    public string DataFolder { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    /// <summary>Every address the edge listens on (one per configured endpoint), with a trailing slash.</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a + "/"))];

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts an edge over <paramref name="dataFolder"/>; <paramref name="settings"/> are <c>OpenCdn:Edge:*</c> keys
    /// without the prefix, or <c>Kestrel:*</c> keys, or <c>AllowedHosts</c>.
    /// </summary>
    public static async Task<EdgeHost> StartAsync(
        string dataFolder, IDictionary<string, string?>? settings = null, TimeProvider? time = null, bool backgroundServices = true,
        LogSink? logs = null)
    {
        var builder = WebApplication.CreateBuilder(
            new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(EdgeOptions).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?> { ["OpenCdn:Edge:DataFolder"] = dataFolder, ["OpenCdn:Edge:FillWindowEnd"] = "02:00" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key.StartsWith("Kestrel:", StringComparison.Ordinal) || key == "AllowedHosts" ? key : "OpenCdn:Edge:" + key] = value;
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.AddEdgeAppliance();
        if (time is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(time));
        }
        if (!backgroundServices)
        {
            builder.Services.RemoveAll<IHostedService>();
        }
        var app = builder.Build();
        app.MapEdgeAppliance();
        await app.StartAsync();
        return new EdgeHost(app, dataFolder, Loopback.BaseUrl(app));
    }

    /// <summary>
    /// Puts a verified file into the servable tree the way the fill agent does: a file beside the content, then commit.
    /// Not in partial: the evictor removes what the plan does not name from there, and may run while a test seeds.
    /// </summary>
    public async Task SeedAsync(string titleId, int version, string file, byte[] bytes)
    {
        var seeding = Directory.CreateDirectory(Path.Combine(Get<DataPaths>().Root, "test-seeding")).FullName;
        var staged = Path.Combine(seeding, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(staged, bytes);
        await Get<ContentCatalog>().CommitAsync(
            new ContentKey(titleId, version, file), staged, bytes.Length, TestContent.Sha256(bytes), DateTimeOffset.UtcNow, CancellationToken.None);
    }

    /// <summary>Hands the edge its key ring, as registration or a heartbeat does.</summary>
    public Task SetKeysAsync(params SigningKey[] keys) => Get<KeyRing>().ReplaceAsync(keys, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
