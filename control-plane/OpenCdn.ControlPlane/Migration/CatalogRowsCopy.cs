using System.Data.Common;
using Dapper;
using OpenCdn.Catalog;

namespace OpenCdn.ControlPlane.Migration;

/// <summary>
/// Copies a SQLite catalog's rows into the target catalog table by table, by column name, over every table the schema
/// has: a row whose key the target holds already is left as it is (<c>ON CONFLICT DO NOTHING</c>), so a rerun is safe.
/// </summary>
internal static class CatalogRowsCopy
{
    public static async Task<IReadOnlyList<(string Table, CopyCount Count)>> CopyAsync(
        CatalogDatabase source, CatalogDatabase target, IReadOnlySet<string> skipped, CancellationToken cancellationToken)
    {
        await using var from = await source.OpenAsync(cancellationToken);
        await using var to = await target.OpenAsync(cancellationToken);
        var present = (await from.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM sqlite_master WHERE type = 'table'", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        var copied = new List<(string, CopyCount)>();
        foreach (var table in CatalogTables.Names.Where(name => !skipped.Contains(name) && present.Contains(name)))
        {
            copied.Add((table, await CopyTableAsync(from, to, table, cancellationToken)));
        }
        return copied;
    }

    private static async Task<CopyCount> CopyTableAsync(DbConnection from, DbConnection to, string table, CancellationToken cancellationToken)
    {
        var targetColumns = (await to.QueryAsync<string>(new CommandDefinition(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table",
            new { table }, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        await using var select = from.CreateCommand();
        select.CommandText = $"SELECT * FROM {table}";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        if (columns.FirstOrDefault(column => !targetColumns.Contains(column)) is { } unknown)
        {
            throw new MigrationRefusedException(
                $"the target's table {table} has no column {unknown}: the embedded installation is newer than this control plane.");
        }
        await using var transaction = await to.BeginTransactionAsync(cancellationToken);
        await using var insert = to.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) ON CONFLICT DO NOTHING";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"p{i}";
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        var count = new CopyCount(0, 0);
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : reader.GetValue(i);
            }
            count = await insert.ExecuteNonQueryAsync(cancellationToken) == 1
                ? count with { Copied = count.Copied + 1 }
                : count with { AlreadyThere = count.AlreadyThere + 1 };
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}
