using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// Downloads one file from one source into its partial file, resuming with <c>Range: bytes={have}-</c>, under the rate
/// cap, only while the window is open. A source that refuses, stalls or breaks off is an outcome, not an exception.
/// </summary>
internal sealed partial class RangeDownloader(
    IHttpClientFactory clients, TokenBucket bucket, FillSchedule schedule, FillProgressTracker progress, EdgeMetrics metrics,
    IOptions<EdgeOptions> options, ILogger<RangeDownloader> logger)
{
    public const string ClientName = "fill";
    private const int ChunkSize = 64 * 1024;
    private readonly TimeSpan _idleTimeout = options.Value.FillIdleTimeout;

    public async Task<TransferOutcome> DownloadAsync(
        Uri url, string? bearer, string partialPath, long size, FillSourceKind kind, CancellationToken cancellationToken)
    {
        var offset = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        if (offset > size)
        {
            File.Delete(partialPath);
            offset = 0;
        }
        if (offset == size)
        {
            return TransferOutcome.Complete;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.Unreachable(logger, url.GetLeftPart(UriPartial.Path), e.Message);
            return TransferOutcome.SourceFailed;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                offset = 0; // the source ignored the range: start over
            }
            else if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset)
            {
                Log.Refused(logger, url.GetLeftPart(UriPartial.Path), (int)response.StatusCode);
                return TransferOutcome.SourceFailed;
            }
            if (offset > 0)
            {
                Log.Resuming(logger, partialPath, offset);
            }
            return await CopyAsync(response, partialPath, offset, size, kind, idle, cancellationToken);
        }
    }

    private async Task<TransferOutcome> CopyAsync(
        HttpResponseMessage response, string partialPath, long offset, long size, FillSourceKind kind, CancellationTokenSource idle,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var file = new FileStream(
                partialPath, offset == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (offset < size)
            {
                if (!schedule.IsOpen())
                {
                    return TransferOutcome.WindowClosed;
                }
                idle.CancelAfter(_idleTimeout);
                var read = await ReadAsync(body, buffer.AsMemory(0, (int)Math.Min(ChunkSize, size - offset)), idle.Token, cancellationToken);
                if (read <= 0)
                {
                    Log.BrokeOff(logger, partialPath, offset, size);
                    return TransferOutcome.SourceFailed;
                }
                await bucket.TakeAsync(read, cancellationToken);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                progress.Downloaded(read);
                metrics.FillDownloaded(kind, read);
            }
            return TransferOutcome.Complete;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One read; a broken or stalled connection reads as -1 rather than throwing past here.</summary>
    private static async Task<int> ReadAsync(Stream body, Memory<byte> buffer, CancellationToken idle, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, idle);
        }
        catch (Exception e) when (e is IOException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return -1;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Fill source {Url} unreachable: {Reason}")]
        public static partial void Unreachable(ILogger logger, string url, string reason);

        [LoggerMessage(301, LogLevel.Warning, "Fill source {Url} answered {Status}")]
        public static partial void Refused(ILogger logger, string url, int status);

        [LoggerMessage(302, LogLevel.Information, "Resuming {Path} at byte {Offset}")]
        public static partial void Resuming(ILogger logger, string path, long offset);

        [LoggerMessage(303, LogLevel.Warning, "Download of {Path} broke off at {Offset} of {Size} bytes; it resumes from there")]
        public static partial void BrokeOff(ILogger logger, string path, long offset, long size);
    }
}
