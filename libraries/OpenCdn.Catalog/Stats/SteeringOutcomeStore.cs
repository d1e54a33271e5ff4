using Dapper;

namespace OpenCdn.Catalog.Stats;

/// <summary>
/// Steering decisions by outcome, summed over every control-plane instance and every restart. Each instance adds what
/// it counted since its previous flush; an addition is an atomic increment in the database, so instances that flush at
/// the same moment never lose each other's counts.
/// </summary>
public sealed class SteeringOutcomeStore(CatalogDatabase database)
{
    /// <summary>Adds <paramref name="decisions"/> (outcome → count) to the totals, all in one transaction.</summary>
    public async Task AddAsync(IReadOnlyDictionary<string, long> decisions, CancellationToken cancellationToken)
    {
        // A fixed order: two instances' transactions take the rows' locks in the same order and cannot deadlock.
        var rows = decisions.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new { outcome = p.Key, decisions = p.Value }).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO steering_outcomes (outcome, decisions) VALUES (@outcome, @decisions)
            ON CONFLICT (outcome) DO UPDATE SET decisions = steering_outcomes.decisions + excluded.decisions
            """, rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The totals so far, by outcome.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT outcome AS Outcome, decisions AS Decisions FROM steering_outcomes", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Outcome, r => r.Decisions, StringComparer.Ordinal);
    }

    private sealed class Row
    {
        public string Outcome { get; set; } = "";
        public long Decisions { get; set; }
    }
}
