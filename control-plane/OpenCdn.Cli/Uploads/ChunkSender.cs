using OpenCdn.Cli.Hosting;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// Sends a file to a tus upload in PATCHes of at most <c>chunkSize</c> bytes, from the server's offset to the end.
/// A network failure, a timeout, a server error or an offset mismatch is retried with backoff after asking the server
/// (HEAD) how much it holds, so nothing is sent twice and nothing is skipped.
/// </summary>
internal sealed class ChunkSender(TusClient tus, TimeProvider time, SendSettings settings)
{
    private static readonly TimeSpan RetryBudget = TimeSpan.FromMinutes(3);

    /// <summary>True when the server holds every byte; false when the upload is gone (expired or cancelled) and must start again.</summary>
    public async Task<bool> SendAsync(FileInfo file, Uri upload, long offset, IUploadObserver observer, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var length = file.Length;
        var backoff = new Backoff(time, RetryBudget);
        var pacer = new RatePacer(time, settings.BytesPerSecond, offset);
        long? known = offset;
        while (true)
        {
            try
            {
                known ??= await tus.OffsetAsync(upload, cancellationToken);
                if (known is not { } at)
                {
                    return false;
                }
                observer.Sent(at);
                if (at >= length)
                {
                    return true;
                }
                if (RandomAccess.GetLength(handle) != length)
                {
                    throw new CliException($"{file.Name} changed while it was being uploaded; upload it again.", ExitCodes.Failed);
                }
                using var body = new ChunkContent(handle, at, Math.Min(settings.ChunkSize, length - at), async (sent, ct) =>
                {
                    observer.Sent(sent);
                    await pacer.WaitAsync(sent, ct);
                });
                var (result, next) = await tus.PatchAsync(upload, at, body, cancellationToken);
                switch (result)
                {
                    case PatchResult.Gone:
                        return false;
                    case PatchResult.OffsetMismatch:
                        known = null;
                        await backoff.WaitAsync(new IOException("the server holds a different offset; asking it"), observer.Note, cancellationToken);
                        break;
                    default:
                        known = next;
                        backoff.Reset();
                        observer.Note(null);
                        break;
                }
            }
            catch (Exception e) when (Backoff.IsTransient(e, cancellationToken))
            {
                known = null;
                await backoff.WaitAsync(e, observer.Note, cancellationToken);
            }
        }
    }
}
