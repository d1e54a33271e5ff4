using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenCdn.Catalog;

/// <summary>
/// The catalog's database: a SQLite file (embedded; several processes share it in WAL mode) or PostgreSQL (cloud;
/// several control-plane instances and workers share it). The SQL is written once, in the dialect both accept.
/// </summary>
public sealed class CatalogDatabase : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly NpgsqlDataSource? _postgres;

    private CatalogDatabase(Func<CancellationToken, ValueTask<DbConnection>> open, NpgsqlDataSource? postgres)
    {
        _open = open;
        _postgres = postgres;
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>PostgreSQL when the connection string names a <c>Host</c>, SQLite otherwise.</summary>
    public static CatalogDatabase Create(string connectionString)
    {
        if (connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var source = NpgsqlDataSource.Create(connectionString);
            return new CatalogDatabase(async ct => await source.OpenConnectionAsync(ct), source);
        }
        var sqlite = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 }.ToString();
        return new CatalogDatabase(async ct =>
        {
            var connection = new SqliteConnection(sqlite);
            await connection.OpenAsync(ct);
            await connection.ExecuteAsync("PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");
            // PostgreSQL's power(), which SQLite has only when built with its math functions (popularity decays with it).
            connection.CreateFunction("power", (double x, double y) => Math.Pow(x, y), isDeterministic: true);
            return connection;
        }, null);
    }

    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);

    /// <summary>Creates the tables that do not exist yet. Safe to run from every process at start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!IsPostgres)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        }
        await connection.ExecuteAsync(new CommandDefinition(Schema.Sql, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
