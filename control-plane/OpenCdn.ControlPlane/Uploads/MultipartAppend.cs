using System.Buffers;
using System.Security.Cryptography;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// One PATCH into a multipart-staged upload (see <see cref="MultipartUploadStaging"/>): the tail kept by the last PATCH
/// and the body fill one part buffer; each full part is stored and committed; the bytes left when the body ends become
/// the new tail. Every commit is conditional on the offset this PATCH started from, so a racing writer makes it stop.
/// Store writes run to their end even when the client leaves: what was received is kept.
/// </summary>
internal sealed class MultipartAppend(
    IMultipartObjectStore store, MultipartUploadStore multiparts, Upload upload, MultipartUpload state, TimeSpan lifetime)
{
    private long _committed = state.Offset;
    private long _bufferStart = state.Offset - state.TailLength; // always a part boundary
    private string? _tailKey = state.TailKey;

    public async Task<AppendResult> RunAsync(Stream body, CancellationToken clientGone)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(state.PartSize);
        try
        {
            var filled = 0;
            if (_tailKey is { } tail)
            {
                if (!await ReadTailAsync(tail, buffer.AsMemory(0, state.TailLength), CancellationToken.None))
                {
                    return await MovedAsync(); // another writer took the tail into a part
                }
                filled = state.TailLength;
            }
            while (true)
            {
                var want = (int)Math.Min(state.PartSize - filled, upload.Length - _bufferStart - filled);
                var (read, gone) = want > 0 ? await FillAsync(body, buffer.AsMemory(filled, want), clientGone) : (0, false);
                filled += read;
                var end = _bufferStart + filled;
                if (filled == state.PartSize || (end == upload.Length && filled > 0))
                {
                    if (await CommitPartAsync(buffer.AsMemory(0, filled)) is { } stopped)
                    {
                        return stopped;
                    }
                    filled = 0;
                    if (gone || _committed == upload.Length)
                    {
                        return Result(gone);
                    }
                    continue;
                }
                // The body ended (or the client left) short of a part: its bytes wait as the tail.
                if (end > _committed && await CommitTailAsync(buffer.AsMemory(0, filled)) is { } lost)
                {
                    return lost;
                }
                return Result(gone);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private AppendResult Result(bool clientGone) => new(clientGone ? AppendOutcome.ClientGone : AppendOutcome.Appended, _committed);

    private async Task<AppendResult?> CommitPartAsync(ReadOnlyMemory<byte> part)
    {
        switch (await multiparts.NextPartNumberAsync(upload.Id, CancellationToken.None))
        {
            case null:
                return new AppendResult(AppendOutcome.Gone, _committed);
            case > IMultipartObjectStore.MaxPartNumber:
                return new AppendResult(AppendOutcome.OutOfParts, _committed);
            case { } number:
                var etag = await store.PutPartAsync(state.ObjectKey, state.MultipartId, number, part, CancellationToken.None);
                if (etag is null)
                {
                    return new AppendResult(AppendOutcome.Gone, _committed);
                }
                var end = _bufferStart + part.Length;
                var step = new MultipartStep(_committed, end, new MultipartPart(number, etag, part.Length), null, 0);
                return await MoveToAsync(step) ? null : await MovedAsync();
        }
    }

    private async Task<AppendResult?> CommitTailAsync(ReadOnlyMemory<byte> tail)
    {
        var key = MultipartUploadStaging.TailPrefix(upload.Id) + "tail-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await store.PutAsync(key, tail, CancellationToken.None);
        if (await MoveToAsync(new MultipartStep(_committed, _bufferStart + tail.Length, null, key, tail.Length)))
        {
            return null;
        }
        await store.DeleteAsync(key, CancellationToken.None);
        return await MovedAsync();
    }

    /// <summary>Commits the step if nobody moved the upload meanwhile; then the old tail is no longer needed.</summary>
    private async Task<bool> MoveToAsync(MultipartStep step)
    {
        if (!await multiparts.TryCommitAsync(upload.Id, step, lifetime, CancellationToken.None))
        {
            return false;
        }
        if (_tailKey is { } old)
        {
            await store.DeleteAsync(old, CancellationToken.None);
        }
        _tailKey = step.TailKey;
        _committed = step.ToOffset;
        if (step.Part is not null)
        {
            _bufferStart = step.ToOffset;
        }
        return true;
    }

    /// <summary>Another writer moved the upload (409 with its offset), or it is gone.</summary>
    private async Task<AppendResult> MovedAsync() =>
        await multiparts.GetAsync(upload.Id, CancellationToken.None) is { } now
            ? new AppendResult(AppendOutcome.OffsetMismatch, now.Offset)
            : new AppendResult(AppendOutcome.Gone, _committed);

    private async Task<bool> ReadTailAsync(string key, Memory<byte> into, CancellationToken cancellationToken)
    {
        await using var tail = await store.GetAsync(key, null, cancellationToken);
        if (tail is null)
        {
            return false;
        }
        var read = await tail.Body.ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, cancellationToken);
        return read == into.Length && tail.Info.Size == into.Length
            ? true
            : throw new ObjectStoreException($"The tail '{key}' of upload {upload.Id} holds {tail.Info.Size} bytes, not {into.Length}.");
    }

    /// <summary>Reads until <paramref name="into"/> is full or the body ends; the flag tells that the client went away.</summary>
    private static async Task<(int Read, bool ClientGone)> FillAsync(Stream body, Memory<byte> into, CancellationToken clientGone)
    {
        var read = 0;
        try
        {
            int n;
            while (read < into.Length && (n = await body.ReadAsync(into[read..], clientGone)) > 0)
            {
                read += n;
            }
            return (read, false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            return (read, true);
        }
    }
}
