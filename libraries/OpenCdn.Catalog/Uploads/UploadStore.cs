using System.Security.Cryptography;
using Dapper;

namespace OpenCdn.Catalog.Uploads;

/// <summary>A resumable upload of a title's master. How much has arrived is the length of its staging file.</summary>
public sealed record Upload(string Id, string TitleId, long Length, string FileName, DateTimeOffset ExpiresAt);

/// <summary>Open uploads: created by the tus creation request, removed when complete, cancelled or expired.</summary>
public sealed class UploadStore(CatalogDatabase database, TimeProvider time)
{
    private const string Columns = "id AS Id, title_id AS TitleId, length AS Length, file_name AS FileName, expires_at AS ExpiresAtMs";

    /// <summary>Opens an upload for the title; null when the title already has one open (one upload per title at a time).</summary>
    public async Task<Upload?> TryCreateAsync(string titleId, long length, string fileName, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var upload = new Upload(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), titleId, length, fileName, now + lifetime);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO uploads (id, title_id, length, file_name, created_at, expires_at)
            SELECT @Id, @TitleId, @Length, @FileName, @now, @expires
            WHERE NOT EXISTS (SELECT 1 FROM uploads WHERE title_id = @TitleId AND expires_at > @now)
            """,
            new
            {
                upload.Id,
                upload.TitleId,
                upload.Length,
                upload.FileName,
                now = now.ToUnixTimeMilliseconds(),
                expires = upload.ExpiresAt.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
        return inserted == 1 ? upload : null;
    }

    /// <summary>True while the title has an upload that has not expired.</summary>
    public async Task<bool> HasOpenAsync(string titleId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM uploads WHERE title_id = @titleId AND expires_at > @now",
            new { titleId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The upload, or null when it does not exist, was finished or has expired.</summary>
    public async Task<Upload?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM uploads WHERE id = @id AND expires_at > @now",
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return row?.ToUpload();
    }

    /// <summary>Uploads whose time ran out, for the sweeper to remove with their partial data.</summary>
    public async Task<IReadOnlyList<Upload>> ListExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM uploads WHERE expires_at <= @now",
            new { now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToUpload()).ToList();
    }

    /// <summary>Pushes the expiry out after activity, so an upload that is still moving never expires.</summary>
    public async Task TouchAsync(string id, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE uploads SET expires_at = @expires WHERE id = @id",
            new { id, expires = (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM uploads WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string TitleId { get; set; } = "";
        public long Length { get; set; }
        public string FileName { get; set; } = "";
        public long ExpiresAtMs { get; set; }

        public Upload ToUpload() => new(Id, TitleId, Length, FileName, DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs));
    }
}
