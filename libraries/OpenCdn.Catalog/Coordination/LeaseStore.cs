using System.Data.Common;
using Dapper;

namespace OpenCdn.Catalog.Coordination;

/// <summary>
/// Named leases in the catalog database: one row per lease with its holder and expiry. A holder takes a free or
/// expired lease, or renews its own, with one conditional upsert, so at most one holder has it at a time on PostgreSQL
/// (the row is locked while the statement decides) and on SQLite alike. A holder that dies without releasing loses it
/// when it expires.
/// </summary>
public sealed class LeaseStore(CatalogDatabase database, TimeProvider time)
{
    /// <summary>Takes the lease (when free, expired or already this holder's) until now + <paramref name="period"/>.</summary>
    public async Task<bool> TryHoldAsync(string name, string holder, TimeSpan period, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """,
            new { name, holder, expires = (now + period).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Gives the lease up at once (another instance takes it at its next try), if this holder has it.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: cancellationToken));
    }

    /// <summary>Who holds the lease now; null when nobody does or it expired.</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT holder FROM leases WHERE name = @name AND expires_at > @now",
            new { name, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Renews the lease inside <paramref name="transaction"/> if this holder still has it: false when it was lost. On
    /// PostgreSQL the row stays locked until the transaction ends, so no other instance takes the lease meanwhile.
    /// </summary>
    internal static async Task<bool> RenewAsync(
        DbConnection connection, DbTransaction transaction, string name, string holder, DateTimeOffset now, TimeSpan period,
        CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE leases SET expires_at = @expires WHERE name = @name AND holder = @holder AND expires_at > @now",
            new { name, holder, expires = (now + period).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken)) == 1;
}
