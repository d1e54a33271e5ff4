using System.Collections.Concurrent;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Contracts.Packages;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// Cloud mode's staging: each tus upload is one multipart upload in the object store, aimed at the master's key, with
/// its id, parts (number, ETag) and committed offset in the catalog. No instance's disk holds upload state, so the
/// PATCHes of one upload may land on different instances, and one instance may die between them.
/// <para>
/// A PATCH rarely ends on a part boundary, and S3 wants every part but the last to be at least 5 MiB. The bytes past
/// the last whole part are therefore kept as a small tail object in the store (fewer than one part's bytes), recorded
/// with the offset; the next PATCH, on whichever instance, reads the tail into its part buffer first and sends it on
/// as the start of the next part. So every byte a PATCH received is kept and reported in Upload-Offset, whatever
/// size of chunks the client sends, and a PATCH holds at most one part in memory.
/// </para>
/// <para>
/// Writers never lock: each step (a part, or a new tail) commits only if the offset it started from is still the
/// upload's, and part numbers come from a counter in the catalog, so two racing PATCHes never overwrite each other's
/// part; the loser gets 409 and its part is never listed. Completion assembles the recorded parts with
/// CompleteMultipartUpload; discarding aborts the multipart upload and deletes the tail objects.
/// </para>
/// </summary>
internal sealed class MultipartUploadStaging(IMultipartObjectStore store, MultipartUploadStore multiparts, UploadOptions options)
    : IUploadStaging
{
    /// <summary>Part numbers a whole upload may fill, leaving the rest of S3's 10,000 for parts lost in races.</summary>
    public const int PlannedParts = 5_000;

    private readonly ConcurrentDictionary<string, byte> _writers = new();

    public async Task<long> OffsetAsync(Upload upload, CancellationToken cancellationToken) =>
        (await multiparts.GetAsync(upload.Id, cancellationToken))?.Offset ?? 0;

    public async Task<AppendResult> AppendAsync(Upload upload, long offset, Stream body, CancellationToken clientGone)
    {
        if (!_writers.TryAdd(upload.Id, 0))
        {
            return new AppendResult(AppendOutcome.Busy, offset); // one writer per upload here; other instances race on the offset
        }
        try
        {
            var state = await multiparts.GetAsync(upload.Id, clientGone) ?? await StartAsync(upload, clientGone);
            if (offset != state.Offset)
            {
                return new AppendResult(AppendOutcome.OffsetMismatch, state.Offset);
            }
            return await new MultipartAppend(store, multiparts, upload, state, options.ExpiresAfter).RunAsync(body, clientGone);
        }
        finally
        {
            _writers.TryRemove(upload.Id, out _);
        }
    }

    public async Task<long?> StoreMasterAsync(Upload upload, string masterKey, CancellationToken cancellationToken)
    {
        if (upload.Length == 0)
        {
            return (await store.PutAsync(masterKey, Stream.Null, cancellationToken)).Size;
        }
        if (await multiparts.GetAsync(upload.Id, cancellationToken) is not { } state || state.Offset != upload.Length)
        {
            return null; // discarded a moment ago
        }
        if (state.ObjectKey != masterKey)
        {
            throw new InvalidOperationException($"Upload {upload.Id} was staged for '{state.ObjectKey}', not '{masterKey}'.");
        }
        var parts = await multiparts.ListPartsAsync(upload.Id, cancellationToken);
        if (parts.Sum(p => p.Size) != upload.Length)
        {
            throw new InvalidOperationException($"The parts recorded for upload {upload.Id} do not add up to its {upload.Length} bytes.");
        }
        var assembled = await store.CompleteMultipartAsync(
            masterKey, state.MultipartId, [.. parts.Select(p => new StoredPart(p.Number, p.ETag))], upload.Length, cancellationToken);
        if (assembled)
        {
            return upload.Length;
        }
        // Completed before by a completion that was cut short, or by another instance a moment ago: the master is there.
        return (await store.HeadAsync(masterKey, cancellationToken))?.Size == upload.Length ? upload.Length : null;
    }

    public async Task DiscardAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (await multiparts.GetAsync(uploadId, cancellationToken) is { } state)
        {
            await DiscardAsync(state, cancellationToken);
        }
    }

    public bool IsBeingWritten(string uploadId) => _writers.ContainsKey(uploadId);

    public async Task SweepOrphansAsync(CancellationToken cancellationToken)
    {
        foreach (var orphan in await multiparts.ListOrphansAsync(cancellationToken))
        {
            await DiscardAsync(orphan, cancellationToken);
        }
    }

    /// <summary>The part size for an upload: the configured one, or larger when the master would need more parts than planned.</summary>
    public static int PartSizeFor(long length, int configured)
    {
        const long MiB = 1 << 20;
        var needed = (length + PlannedParts - 1) / PlannedParts;
        return (int)Math.Max(configured, (needed + MiB - 1) / MiB * MiB);
    }

    /// <summary>The tail objects of an upload live under this prefix (outside <c>masters/</c> and <c>titles/</c>).</summary>
    public static string TailPrefix(string uploadId) => $"uploads/{uploadId}/";

    /// <summary>
    /// Opens the multipart upload on the first PATCH. Two instances racing here both start one; the first row wins and
    /// the other aborts its own.
    /// </summary>
    private async Task<MultipartUpload> StartAsync(Upload upload, CancellationToken cancellationToken)
    {
        var key = OriginKeys.Master(upload.TitleId, upload.FileName);
        var multipartId = await store.StartMultipartAsync(key, cancellationToken);
        if (!await multiparts.TryCreateAsync(upload.Id, key, multipartId, PartSizeFor(upload.Length, store.PartSize), cancellationToken))
        {
            await store.AbortMultipartAsync(key, multipartId, CancellationToken.None);
        }
        return await multiparts.GetAsync(upload.Id, cancellationToken)
            ?? throw new InvalidOperationException($"The multipart state of upload {upload.Id} vanished as it was created.");
    }

    private async Task DiscardAsync(MultipartUpload state, CancellationToken cancellationToken)
    {
        await store.AbortMultipartAsync(state.ObjectKey, state.MultipartId, cancellationToken);
        await foreach (var tail in store.ListAsync(TailPrefix(state.UploadId), cancellationToken))
        {
            await store.DeleteAsync(tail.Key, cancellationToken);
        }
        await multiparts.DeleteAsync(state.UploadId, cancellationToken);
    }
}
