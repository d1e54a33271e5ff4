using OpenCdn.Catalog;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>The same key-store rules on a real PostgreSQL server; each test gets a database of its own.</summary>
public sealed class PostgresSecretStoreTests(PostgresServer postgres) : SecretStoreContract, IClassFixture<PostgresServer>
{
    protected override async Task<CatalogDatabase> DatabaseAsync() => CatalogDatabase.Create(await postgres.CreateDatabaseAsync());
}
