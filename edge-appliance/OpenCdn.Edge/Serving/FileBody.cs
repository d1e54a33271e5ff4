using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Writes a byte range of an open file as the response body: positional reads (<c>pread</c>, no seek, no stream object)
/// straight into Kestrel's output buffer, one flush per chunk. Reads are synchronous: served files sit in the page cache, and a
/// thread-pool hop per chunk (what an asynchronous file read is on Linux) costs more than the copy it waits for.
/// </summary>
internal static class FileBody
{
    /// <summary>
    /// Bytes per read and write, as ASP.NET Core's stream copy uses. 256 KiB held a pooled buffer plus as much again in
    /// Kestrel's output per connection: the edge's RSS reached 254 MB at 256 connections (docs/benchmarks.md).
    /// </summary>
    public const int ChunkSize = 64 * 1024;

    public static async Task<SendOutcome> SendAsync(HttpResponse response, SafeFileHandle file, long from, long count, CancellationToken aborted)
    {
        var writer = response.BodyWriter;
        try
        {
            var end = from + count;
            for (var offset = from; offset < end;)
            {
                if (aborted.IsCancellationRequested)
                {
                    return SendOutcome.ClientGone;
                }
                var chunk = (int)Math.Min(end - offset, ChunkSize);
                int read;
                try
                {
                    read = RandomAccess.Read(file, writer.GetSpan(chunk)[..chunk], offset); // straight into Kestrel's output
                }
                catch (ObjectDisposedException)
                {
                    return SendOutcome.FileClosed; // evicted or quarantined mid-response
                }
                catch (IOException)
                {
                    return SendOutcome.FileUnreadable;
                }
                if (read == 0)
                {
                    return SendOutcome.FileShort;
                }
                writer.Advance(read);
                offset += read;
                if ((await writer.FlushAsync(aborted)).IsCompleted)
                {
                    return SendOutcome.ClientGone;
                }
            }
            return SendOutcome.Sent;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return SendOutcome.ClientGone;
        }
    }
}
