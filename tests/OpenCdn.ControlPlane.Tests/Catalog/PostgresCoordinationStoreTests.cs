using Npgsql;
using OpenCdn.Catalog;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>The same rules on a real PostgreSQL server; each test gets a database of its own.</summary>
public sealed class PostgresCoordinationStoreTests(PostgresServer postgres) : CoordinationStoreContract, IClassFixture<PostgresServer>
{
    protected override async Task<CatalogDatabase> DatabaseAsync()
    {
        var name = $"coordination_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return CatalogDatabase.Create(postgres.ConnectionString(name));
    }
}
