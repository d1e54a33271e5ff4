using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Fill;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// An edge with no background loops, an origin <see cref="SourceServer"/>, a key, and helpers to hand it plans and run
/// fill passes.
/// </summary>
internal sealed class FillBed : IAsyncDisposable
{
    private FillBed(TempFolder folder, SourceServer origin, SigningKey key)
    {
        Folder = folder;
        Origin = origin;
        Key = key;
    }

    public TempFolder Folder { get; }

    public SourceServer Origin { get; }

    public SigningKey Key { get; }

    public EdgeHost Edge { get; private set; } = null!;

    public static async Task<FillBed> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var bed = new FillBed(new TempFolder(), await SourceServer.StartAsync(), TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(30)));
        await bed.RestartAsync(settings, time);
        return bed;
    }

    /// <summary>Stops the edge (as a crash or restart would) and starts a new one over the same data folder.</summary>
    public async Task RestartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        Edge = await EdgeHost.StartAsync(
            Folder.Path,
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["FillRateBytesPerSecond"] = settings?.TryGetValue("FillRateBytesPerSecond", out var rate) == true ? rate : "0",
            },
            time, backgroundServices: false);
        await Edge.SetKeysAsync(Key);
    }

    public Task<FillPassOutcome> RunAsync(CancellationToken cancellationToken = default) => Edge.Get<FillAgent>().RunOnceAsync(cancellationToken);

    public Task SetPlanAsync(int version, params FillItem[] items) =>
        Edge.Get<FillPlanStore>().SetAsync(new FillPlan(version, DateTimeOffset.UtcNow, items), CancellationToken.None);

    /// <summary>An item whose files the origin holds, fetched from <paramref name="peers"/> first and the origin last.</summary>
    public FillItem Item(string titleId, int version, IReadOnlyDictionary<string, byte[]> files, params FillSource[] peers)
    {
        foreach (var (name, bytes) in files)
        {
            Origin.Add($"origin/{titleId}/v{version}/{name}", bytes);
        }
        var urls = files.Keys.ToDictionary(name => name, name => Origin.UrlOf($"origin/{titleId}/v{version}", name));
        return new FillItem(titleId, version, files.Select(f => TestContent.File(f.Key, f.Value)).ToList(),
            [.. peers, new FillSource(FillSourceKind.Origin, "origin", null, urls)]);
    }

    public bool Holds(string titleId, int version, string file) => Edge.Get<ContentCatalog>().Contains(new ContentKey(titleId, version, file));

    public string PartialPath(string titleId, int version, string file) =>
        new ContentKey(titleId, version, file).PathUnder(Edge.Get<DataPaths>().Partial);

    public string ContentPath(string titleId, int version, string file) =>
        new ContentKey(titleId, version, file).PathUnder(Edge.Get<DataPaths>().Content);

    public async Task<byte[]> DownloadAsync(string titleId, int version, string file)
    {
        using var response = await Edge.Client.GetAsync(
            $"c/{DeliveryToken.Issue(Key, titleId, DateTimeOffset.UtcNow.AddHours(1))}/{titleId}/v{version}/{file}");
        return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync() : [];
    }

    public async ValueTask DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Origin.DisposeAsync();
        Folder.Dispose();
    }
}
