using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Stats;

public sealed class SqliteStatsStoreTests : StatsStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<string> NewCatalogAsync() => Task.FromResult($"Data Source={_folder.Combine($"{Guid.NewGuid():N}.db")}");

    public void Dispose() => _folder.Dispose();
}
