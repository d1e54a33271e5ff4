using Npgsql;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Stats;

internal static class CatalogDatabases
{
    /// <summary>A new, empty database on <paramref name="postgres"/>; returns its connection string.</summary>
    public static async Task<string> CreateAsync(PostgresServer postgres)
    {
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
