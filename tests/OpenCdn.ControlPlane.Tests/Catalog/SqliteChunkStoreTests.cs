using OpenCdn.Catalog;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Catalog;

public sealed class SqliteChunkStoreTests : ChunkStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<CatalogDatabase> DatabaseAsync() =>
        Task.FromResult(CatalogDatabase.Create($"Data Source={_folder.Combine("catalog.db")}"));

    public void Dispose() => _folder.Dispose();
}
