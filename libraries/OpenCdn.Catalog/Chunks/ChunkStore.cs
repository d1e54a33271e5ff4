using Dapper;

namespace OpenCdn.Catalog.Chunks;

/// <summary>
/// The state of chunked encodes: one set per title version (its master and part count) and one row per part (a video
/// chunk or the tracks part) that says whether it is done. Workers share it through the catalog database, so the worker
/// that finishes the last part, whichever it is, takes the assembly with one conditional update (compare-and-set), and
/// no coordinator is needed.
/// </summary>
public sealed class ChunkStore(CatalogDatabase database, TimeProvider time)
{
    /// <summary>
    /// Records the set and its parts (what a run for another master left at this version is dropped first) and returns
    /// the parts still to queue: every part not done, or none when the set was queued already (a retried planner).
    /// </summary>
    public async Task<IReadOnlyList<string>> PlanAsync(
        string titleId, int version, string masterKey, IReadOnlyList<string> parts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var key = new { titleId, version, masterKey, parts = parts.Count, now = time.GetUtcNow().ToUnixTimeMilliseconds() };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM chunk_parts WHERE title_id = @titleId AND version = @version AND EXISTS (SELECT 1 FROM chunk_sets s
                WHERE s.title_id = @titleId AND s.version = @version AND (s.master_key <> @masterKey OR s.parts <> @parts));
            DELETE FROM chunk_sets WHERE title_id = @titleId AND version = @version AND (master_key <> @masterKey OR parts <> @parts);
            INSERT INTO chunk_sets (title_id, version, master_key, parts, created_at) VALUES (@titleId, @version, @masterKey, @parts, @now)
            ON CONFLICT (title_id, version) DO NOTHING;
            """, key, transaction, cancellationToken: cancellationToken));
        foreach (var part in parts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO chunk_parts (title_id, version, part) VALUES (@titleId, @version, @part) ON CONFLICT DO NOTHING",
                new { titleId, version, part }, transaction, cancellationToken: cancellationToken));
        }
        var queued = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT queued FROM chunk_sets WHERE title_id = @titleId AND version = @version", key, transaction,
            cancellationToken: cancellationToken));
        var pending = queued != 0 ? [] : (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT part FROM chunk_parts WHERE title_id = @titleId AND version = @version AND done = 0", key, transaction,
            cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        await transaction.CommitAsync(cancellationToken);
        return parts.Where(pending.Contains).ToList();
    }

    /// <summary>Every pending part is on the queue: a retried planner queues nothing again.</summary>
    public Task MarkQueuedAsync(string titleId, int version, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE chunk_sets SET queued = 1 WHERE title_id = @titleId AND version = @version", new { titleId, version },
            cancellationToken);

    /// <summary>Whether the part belongs to the current set of that master (false: a stale message) and is done already.</summary>
    public async Task<PartState> StateOfAsync(string titleId, int version, string masterKey, string part, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var done = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            SELECT p.done FROM chunk_parts p JOIN chunk_sets s ON s.title_id = p.title_id AND s.version = p.version
            WHERE p.title_id = @titleId AND p.version = @version AND p.part = @part AND s.master_key = @masterKey
            """, new { titleId, version, part, masterKey }, cancellationToken: cancellationToken));
        return done switch { null => PartState.Unknown, 0 => PartState.Pending, _ => PartState.Done };
    }

    /// <summary>Marks the part done; returns how many parts of the set are done and how many there are.</summary>
    public async Task<(int Done, int Total)> CompleteAsync(string titleId, int version, string part, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = new { titleId, version, part };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE chunk_parts SET done = 1 WHERE title_id = @titleId AND version = @version AND part = @part", key,
            cancellationToken: cancellationToken));
        var counts = await connection.QuerySingleAsync<(long Done, long Total)>(new CommandDefinition(
            """
            SELECT COALESCE(SUM(done), 0) AS Done, COUNT(*) AS Total FROM chunk_parts WHERE title_id = @titleId AND version = @version
            """, key, cancellationToken: cancellationToken));
        return ((int)counts.Done, (int)counts.Total);
    }

    /// <summary>
    /// Takes the assembly for <paramref name="part"/> when every part is done and no other part took it (the same part
    /// takes it again: its job came back because the worker assembling died). One conditional update, so exactly one
    /// part's job assembles.
    /// </summary>
    public async Task<bool> TryClaimAssemblyAsync(string titleId, int version, string part, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE chunk_sets SET assembler = @part
            WHERE title_id = @titleId AND version = @version AND (assembler IS NULL OR assembler = @part)
            AND NOT EXISTS (SELECT 1 FROM chunk_parts p WHERE p.title_id = @titleId AND p.version = @version AND p.done = 0)
            """, new { titleId, version, part }, cancellationToken) == 1;

    /// <summary>Drops the set once its package is published.</summary>
    public Task ForgetAsync(string titleId, int version, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM chunk_parts WHERE title_id = @titleId AND version = @version;
            DELETE FROM chunk_sets WHERE title_id = @titleId AND version = @version;
            """, new { titleId, version }, cancellationToken);

    private async Task<int> ExecuteAsync(string sql, object values, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, values, cancellationToken: cancellationToken));
    }
}
