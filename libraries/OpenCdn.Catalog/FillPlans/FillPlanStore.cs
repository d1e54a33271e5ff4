using System.Globalization;
using System.Text.Json;
using Dapper;
using OpenCdn.Catalog.Coordination;

namespace OpenCdn.Catalog.FillPlans;

/// <summary>
/// The fill plans every control-plane instance hands out: cuts (shared by edges of one kind, group and disk) and which
/// cut each edge has. Only the holder of the planning lease writes; every instance reads what changed into memory.
/// Cut versions and edge rows' revisions come from one counter that only grows, so a reader asks for what is newer
/// than the last revision it read, and a new lease holder continues from the stored versions.
/// </summary>
public sealed class FillPlanStore(CatalogDatabase database, TimeProvider time)
{
    /// <summary>Edge rows per statement (2 parameters each, well under SQLite's and PostgreSQL's limits).</summary>
    private const int EdgeChunk = 500;

    /// <summary>Cuts and edge rows written after <paramref name="revision"/>; an edge row with an empty cut left the plans.</summary>
    public async Task<StoredPlanChanges> ReadChangedSinceAsync(int revision, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One snapshot for both tables: a write committed between two reads would otherwise move the revision past rows
        // this reader never saw.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var cuts = (await connection.QueryAsync<(string Key, long Version, long GeneratedAt, string Packages)>(new CommandDefinition(
            "SELECT cut_key, version, generated_at, packages FROM fill_cuts WHERE version > @revision", new { revision }, snapshot,
            cancellationToken: cancellationToken))).ToList();
        var edges = (await connection.QueryAsync<(string EdgeId, string CutKey, long Rev)>(new CommandDefinition(
            "SELECT edge_id, cut_key, rev FROM fill_plan_edges WHERE rev > @revision", new { revision }, snapshot,
            cancellationToken: cancellationToken))).ToList();
        await snapshot.CommitAsync(cancellationToken);
        var reached = Math.Max(revision, (int)Math.Max(cuts.Count == 0 ? 0 : cuts.Max(c => c.Version), edges.Count == 0 ? 0 : edges.Max(e => e.Rev)));
        return new StoredPlanChanges(
            [.. cuts.Select(c => new StoredCut(c.Key, (int)c.Version, DateTimeOffset.FromUnixTimeMilliseconds(c.GeneratedAt), Decode(c.Packages)))],
            [.. edges.Select(e => new StoredEdgeCut(e.EdgeId, e.CutKey.Length == 0 ? null : e.CutKey))],
            reached);
    }

    /// <summary>
    /// Writes changed cuts and edge rows planned from <paramref name="basedOn"/>, up to <paramref name="revision"/>, in
    /// one transaction that first renews the planning lease: nothing is written by an instance that lost it, or that
    /// planned from plans older than the stored ones.
    /// </summary>
    public async Task<PlanWriteOutcome> WriteAsync(
        PlanLease lease, int basedOn, IReadOnlyList<StoredCut> cuts, IReadOnlyList<StoredEdgeCut> edges, int revision,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentNullException.ThrowIfNull(edges);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await LeaseStore.RenewAsync(connection, transaction, lease.Name, lease.Holder, time.GetUtcNow(), lease.Period, cancellationToken))
        {
            return PlanWriteOutcome.LeaseLost;
        }
        var stored = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT MAX(m) FROM (SELECT COALESCE(MAX(version), 0) AS m FROM fill_cuts UNION ALL SELECT COALESCE(MAX(rev), 0) FROM fill_plan_edges) t",
            transaction: transaction, cancellationToken: cancellationToken));
        if (stored > basedOn)
        {
            return PlanWriteOutcome.Stale;
        }
        foreach (var cut in cuts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO fill_cuts (cut_key, version, generated_at, packages) VALUES (@key, @version, @generated, @packages)
                ON CONFLICT (cut_key) DO UPDATE SET version = excluded.version, generated_at = excluded.generated_at,
                    packages = excluded.packages
                """,
                new
                {
                    key = cut.Key,
                    version = (long)cut.Version,
                    generated = cut.GeneratedAt.ToUnixTimeMilliseconds(),
                    packages = Encode(cut.Packages),
                },
                transaction, cancellationToken: cancellationToken));
        }
        for (var start = 0; start < edges.Count; start += EdgeChunk)
        {
            // Many rows a statement: a first plan of a large fleet writes every edge.
            var count = Math.Min(EdgeChunk, edges.Count - start);
            var parameters = new DynamicParameters(new { rev = (long)revision });
            var values = new string[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = string.Create(CultureInfo.InvariantCulture, $"(@e{i}, @c{i}, @rev)");
                parameters.Add($"e{i}", edges[start + i].EdgeId);
                parameters.Add($"c{i}", edges[start + i].CutKey ?? "");
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO fill_plan_edges (edge_id, cut_key, rev) VALUES {string.Join(", ", values)} "
                + "ON CONFLICT (edge_id) DO UPDATE SET cut_key = excluded.cut_key, rev = excluded.rev",
                parameters, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return PlanWriteOutcome.Written;
    }

    private static string Encode(IReadOnlyList<PlannedPackage> packages) =>
        JsonSerializer.Serialize(packages.Select(p => new Entry(p.TitleId, p.Version)));

    private static PlannedPackage[] Decode(string json) =>
        [.. (JsonSerializer.Deserialize<Entry[]>(json) ?? []).Select(e => new PlannedPackage(e.T, e.V))];

    private sealed record Entry(string T, int V);
}

/// <summary>The planning lease a writer of plans holds: its name, the holder and how long a renewal lasts.</summary>
public sealed record PlanLease(string Name, string Holder, TimeSpan Period);
