using Npgsql;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>A fresh, empty database on a test PostgreSQL server, for tests that must not see each other's rows.</summary>
public static class PostgresDatabases
{
    /// <summary>Creates the database and returns its connection string.</summary>
    public static async Task<string> CreateAsync(PostgresServer postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var name = $"catalog_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return postgres.ConnectionString(name);
    }
}
