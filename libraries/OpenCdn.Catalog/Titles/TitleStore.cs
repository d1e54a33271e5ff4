using System.Security.Cryptography;
using Dapper;

namespace OpenCdn.Catalog.Titles;

/// <summary>
/// Titles in the catalog. Every state change names the states it may leave, in the UPDATE itself, so two processes
/// (an API call and a worker) can never move a title along a transition the life cycle does not have.
/// </summary>
public sealed class TitleStore(CatalogDatabase database, TimeProvider time)
{
    private const string Columns = """
        id AS Id, name AS Name, status AS Status, progress AS Progress, failure_reason AS FailureReason,
        package_version AS PackageVersion, master_key AS MasterKey, master_size AS MasterSize,
        created_at AS CreatedAtMs, updated_at AS UpdatedAtMs
        """;

    public async Task<Title> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var id = NewId();
        var now = Now();
        await ExecuteAsync(
            "INSERT INTO titles (id, name, status, created_at, updated_at) VALUES (@id, @name, @status, @now, @now)",
            new { id, name, status = nameof(TitleStatus.Created), now }, cancellationToken);
        return (await GetAsync(id, cancellationToken))!;
    }

    /// <summary>The title, or null when there is none by that id or it was retired.</summary>
    public async Task<Title?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM titles WHERE id = @id AND status <> @retired",
            new { id, retired = nameof(TitleStatus.Retired) }, cancellationToken: cancellationToken));
        return row?.ToTitle();
    }

    /// <summary>Every title not retired, newest first.</summary>
    public async Task<IReadOnlyList<Title>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM titles WHERE status <> @retired ORDER BY created_at DESC, id",
            new { retired = nameof(TitleStatus.Retired) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToTitle()).ToList();
    }

    /// <summary>
    /// Titles changed at or after <paramref name="since"/>, retired ones included: how the control plane's in-memory
    /// catalog follows changes made by workers and other instances.
    /// </summary>
    public async Task<IReadOnlyList<Title>> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM titles WHERE updated_at >= @since", new { since = since.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToTitle()).ToList();
    }

    public Task<bool> MarkUploadingAsync(string id, CancellationToken cancellationToken) =>
        MoveAsync(
            id, TitleStatus.Uploading, [TitleStatus.Created, TitleStatus.Uploading, TitleStatus.Failed, TitleStatus.Ready], "failure_reason = NULL",
            null, cancellationToken);

    /// <summary>Back to <c>created</c> after an upload was cancelled or expired.</summary>
    public Task<bool> MarkUploadAbandonedAsync(string id, CancellationToken cancellationToken) =>
        MoveAsync(id, TitleStatus.Created, [TitleStatus.Uploading], null, null, cancellationToken);

    public Task<bool> MarkQueuedAsync(string id, string masterKey, long masterSize, CancellationToken cancellationToken) =>
        MoveAsync(id, TitleStatus.Queued, [TitleStatus.Uploading], "master_key = @masterKey, master_size = @masterSize, progress = 0",
            new { masterKey, masterSize }, cancellationToken);

    /// <summary>A worker started (or restarted) the job; progress starts again at 0.</summary>
    public Task<bool> MarkTranscodingAsync(string id, CancellationToken cancellationToken) =>
        MoveAsync(id, TitleStatus.Transcoding, [TitleStatus.Queued, TitleStatus.Transcoding], "progress = 0", null, cancellationToken);

    public Task<bool> ReportProgressAsync(string id, int percent, CancellationToken cancellationToken) =>
        MoveAsync(
            id, TitleStatus.Transcoding, [TitleStatus.Transcoding], "progress = @percent", new { percent = Math.Clamp(percent, 0, 99) },
            cancellationToken);

    public Task<bool> MarkReadyAsync(string id, int packageVersion, CancellationToken cancellationToken) =>
        MoveAsync(id, TitleStatus.Ready, [TitleStatus.Transcoding], "progress = 100, package_version = @packageVersion, failure_reason = NULL",
            new { packageVersion }, cancellationToken);

    /// <summary>
    /// A ready title moves from package <paramref name="from"/> to <paramref name="to"/> (a sidecar subtitle was added);
    /// false when it is no longer ready at <paramref name="from"/> (a new upload, a retirement, another publication).
    /// </summary>
    public async Task<bool> MovePackageVersionAsync(string id, int from, int to, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE titles SET package_version = @to, updated_at = @now
            WHERE id = @id AND status = @ready AND package_version = @from
            """,
            new { id, from, to, now = Now(), ready = nameof(TitleStatus.Ready) },
            cancellationToken) == 1;

    public Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken) =>
        MoveAsync(id, TitleStatus.Failed, [TitleStatus.Uploading, TitleStatus.Queued, TitleStatus.Transcoding], "failure_reason = @reason",
            new { reason }, cancellationToken);

    /// <summary>
    /// Fails the title of a job that will not run again (it ran out of attempts), if the title still waits for that job:
    /// queued or transcoding, with the job's master. False when it is ready, failed, retired, or took another master since.
    /// </summary>
    public async Task<bool> FailJobAsync(string id, string masterKey, string reason, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE titles SET status = @failed, failure_reason = @reason, updated_at = @now
            WHERE id = @id AND master_key = @masterKey AND status IN (@queued, @transcoding)
            """,
            new
            {
                id,
                masterKey,
                reason,
                now = Now(),
                failed = nameof(TitleStatus.Failed),
                queued = nameof(TitleStatus.Queued),
                transcoding = nameof(TitleStatus.Transcoding),
            },
            cancellationToken) == 1;

    public Task<bool> RetireAsync(string id, CancellationToken cancellationToken) =>
        MoveAsync(
            id, TitleStatus.Retired, Enum.GetValues<TitleStatus>().Where(s => s != TitleStatus.Retired).ToArray(), null, null, cancellationToken);

    private async Task<bool> MoveAsync(
        string id, TitleStatus to, TitleStatus[] from, string? set, object? values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("id", id);
        parameters.Add("to", to.ToString());
        parameters.Add("now", Now());
        var extra = set is null ? "" : ", " + set;
        var inList = string.Join(", ", from.Select((_, i) => $"@from{i}"));
        for (var i = 0; i < from.Length; i++)
        {
            parameters.Add($"from{i}", from[i].ToString());
        }
        var changed = await ExecuteAsync(
            $"UPDATE titles SET status = @to, updated_at = @now{extra} WHERE id = @id AND status IN ({inList})", parameters, cancellationToken);
        return changed == 1;
    }

    private async Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Short, URL-safe, unguessable ids (they appear in edge URLs and object keys).</summary>
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A row as Dapper reads it: settable properties, so integer widths may differ between SQLite and PostgreSQL.</summary>
    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Status { get; set; } = "";
        public long Progress { get; set; }
        public string? FailureReason { get; set; }
        public long PackageVersion { get; set; }
        public string? MasterKey { get; set; }
        public long? MasterSize { get; set; }
        public long CreatedAtMs { get; set; }
        public long UpdatedAtMs { get; set; }

        public Title ToTitle() => new(Id, Name, Enum.Parse<TitleStatus>(Status), (int)Progress, FailureReason, (int)PackageVersion,
            MasterKey, MasterSize, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs));
    }
}
