using Dapper;

namespace OpenCdn.Catalog.Uploads;

/// <summary>
/// The shared state of uploads staged as multipart uploads in the object store (cloud mode), so that any instance can
/// take the next PATCH. Appends are optimistic: a step commits only if the offset it started from is still the
/// upload's (<see cref="TryCommitAsync"/>); the offset only grows, so it serves as the row's version.
/// </summary>
public sealed class MultipartUploadStore(CatalogDatabase database, TimeProvider time)
{
    private const string Columns =
        "upload_id AS UploadId, object_key AS ObjectKey, multipart_id AS MultipartId, part_size AS PartSize, committed_offset AS Offset, " +
        "part_numbers_used AS PartNumbersUsed, tail_key AS TailKey, tail_length AS TailLength";

    /// <summary>Records the upload's multipart upload; false when another writer recorded one first (that one stays).</summary>
    public async Task<bool> TryCreateAsync(
        string uploadId, string objectKey, string multipartId, int partSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO upload_multiparts (upload_id, object_key, multipart_id, part_size) VALUES (@uploadId, @objectKey, @multipartId, @partSize)
            ON CONFLICT (upload_id) DO NOTHING
            """,
            new { uploadId, objectKey, multipartId, partSize }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The upload's multipart state, or null when there is none (never staged, or discarded).</summary>
    public async Task<MultipartUpload?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM upload_multiparts WHERE upload_id = @uploadId", new { uploadId }, cancellationToken: cancellationToken));
        return row?.ToUpload();
    }

    /// <summary>
    /// Hands out a part number no other writer gets, so two racing writers never overwrite each other's part in the
    /// store; the loser's part is simply never listed. Null when the upload is gone.
    /// </summary>
    public async Task<int?> NextPartNumberAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "UPDATE upload_multiparts SET part_numbers_used = part_numbers_used + 1 WHERE upload_id = @uploadId RETURNING part_numbers_used",
            new { uploadId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Commits a step if the upload is still at <see cref="MultipartStep.FromOffset"/>, and pushes the upload's expiry out;
    /// false when another writer moved it first or the upload is gone (then nothing changed).
    /// </summary>
    public async Task<bool> TryCommitAsync(string uploadId, MultipartStep step, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE upload_multiparts SET committed_offset = @ToOffset, tail_key = @TailKey, tail_length = @TailLength
            WHERE upload_id = @uploadId AND committed_offset = @FromOffset
            """,
            new { uploadId, step.ToOffset, step.TailKey, step.TailLength, step.FromOffset }, transaction, cancellationToken: cancellationToken));
        if (moved != 1)
        {
            return false;
        }
        if (step.Part is { } part)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO upload_multipart_parts (upload_id, part_number, etag, size) VALUES (@uploadId, @Number, @ETag, @Size)",
                new { uploadId, part.Number, part.ETag, part.Size }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE uploads SET expires_at = @expires WHERE id = @uploadId",
            new { uploadId, expires = (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The parts recorded for the upload, in ascending part number (the order they hold the bytes in).</summary>
    public async Task<IReadOnlyList<MultipartPart>> ListPartsAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var parts = await connection.QueryAsync<PartRow>(new CommandDefinition(
            "SELECT part_number AS Number, etag AS ETag, size AS Size FROM upload_multipart_parts WHERE upload_id = @uploadId ORDER BY part_number",
            new { uploadId }, cancellationToken: cancellationToken));
        return [.. parts.Select(p => new MultipartPart((int)p.Number, p.ETag, p.Size))];
    }

    /// <summary>Multipart states whose upload row is gone (a crash between forgetting the upload and discarding its parts).</summary>
    public async Task<IReadOnlyList<MultipartUpload>> ListOrphansAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM upload_multiparts WHERE upload_id NOT IN (SELECT id FROM uploads)", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUpload())];
    }

    public async Task DeleteAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM upload_multipart_parts WHERE upload_id = @uploadId; DELETE FROM upload_multiparts WHERE upload_id = @uploadId",
            new { uploadId }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string UploadId { get; set; } = "";
        public string ObjectKey { get; set; } = "";
        public string MultipartId { get; set; } = "";
        public long PartSize { get; set; }
        public long Offset { get; set; }
        public long PartNumbersUsed { get; set; }
        public string? TailKey { get; set; }
        public long TailLength { get; set; }

        public MultipartUpload ToUpload() =>
            new(UploadId, ObjectKey, MultipartId, (int)PartSize, Offset, (int)PartNumbersUsed, TailKey, (int)TailLength);
    }

    private sealed class PartRow
    {
        public long Number { get; set; }
        public string ETag { get; set; } = "";
        public long Size { get; set; }
    }
}
