using System.Globalization;
using System.Text;
using Dapper;

namespace OpenCdn.Catalog.Popularity;

/// <summary>
/// Fleet-wide popularity: every control-plane instance adds the plays it counted, and the fill planner reads the sums.
/// Each row keeps a decayed score with the time it refers to; an addition decays the older of the two to the newer
/// time and sums them in one upsert, so instances add side by side without reading first.
/// </summary>
public sealed class PopularityStore(CatalogDatabase database)
{
    /// <summary>Rows per statement (3 parameters each, well under SQLite's and PostgreSQL's limits).</summary>
    private const int Chunk = 500;

    private const string Upsert =
        """
         ON CONFLICT (region, title_id) DO UPDATE SET
        score = CASE WHEN excluded.scored_at >= popularity.scored_at
            THEN popularity.score * power(CAST(2 AS DOUBLE PRECISION), (popularity.scored_at - excluded.scored_at) / @halfLife) + excluded.score
            ELSE popularity.score + excluded.score * power(CAST(2 AS DOUBLE PRECISION), (excluded.scored_at - popularity.scored_at) / @halfLife)
            END,
        scored_at = CASE WHEN excluded.scored_at >= popularity.scored_at THEN excluded.scored_at ELSE popularity.scored_at END
        """;

    /// <summary>Adds <paramref name="scores"/>, each decayed to <paramref name="at"/>, in one transaction.</summary>
    public async Task AddAsync(IReadOnlyList<PopularityScore> scores, DateTimeOffset at, TimeSpan halfLife, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var start = 0; start < scores.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, scores.Count - start);
            var sql = new StringBuilder("INSERT INTO popularity (region, title_id, score, scored_at) VALUES ");
            var parameters = new DynamicParameters();
            parameters.Add("at", at.ToUnixTimeMilliseconds());
            parameters.Add("halfLife", (double)halfLife.TotalMilliseconds);
            for (var i = 0; i < count; i++)
            {
                var score = scores[start + i];
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@r{i}, @t{i}, @s{i}, @at)");
                parameters.Add($"r{i}", score.Region);
                parameters.Add($"t{i}", score.TitleId);
                parameters.Add($"s{i}", score.Score);
            }
            sql.Append(Upsert);
            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every score, decayed to <paramref name="at"/>.</summary>
    public async Task<IReadOnlyList<PopularityScore>> ReadAsync(DateTimeOffset at, TimeSpan halfLife, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Region, string TitleId, double Score, long ScoredAt)>(new CommandDefinition(
            "SELECT region, title_id, score, scored_at FROM popularity", cancellationToken: cancellationToken));
        var now = at.ToUnixTimeMilliseconds();
        return [.. rows.Select(r =>
            new PopularityScore(r.Region, r.TitleId, r.Score * Math.Pow(2, (r.ScoredAt - now) / halfLife.TotalMilliseconds)))];
    }

    /// <summary>Forgets scores last added before <paramref name="cutoff"/> (faded to nothing); returns how many.</summary>
    public async Task<int> ForgetOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM popularity WHERE scored_at < @cutoff", new { cutoff = cutoff.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }
}
