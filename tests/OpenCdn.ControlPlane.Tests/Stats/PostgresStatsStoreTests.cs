using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Stats;

/// <summary>The same sums on a real PostgreSQL server; each test gets a database of its own.</summary>
public sealed class PostgresStatsStoreTests(PostgresServer postgres) : StatsStoreContract, IClassFixture<PostgresServer>
{
    protected override async Task<string> NewCatalogAsync() => await postgres.CreateDatabaseAsync();
}
