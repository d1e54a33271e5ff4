using OpenCdn.Catalog;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>The same rules on a real PostgreSQL server; each test gets a database of its own.</summary>
public sealed class PostgresChunkStoreTests(PostgresServer postgres) : ChunkStoreContract, IClassFixture<PostgresServer>
{
    protected override async Task<CatalogDatabase> DatabaseAsync() => CatalogDatabase.Create(await postgres.CreateDatabaseAsync());
}
