using Microsoft.Extensions.Options;
using OpenCdn.Platform.Queue;

namespace OpenCdn.Ingest.Jobs;

/// <summary>Keeps a job's message hidden from other workers while it runs: extended every third of the visibility timeout.</summary>
internal sealed partial class VisibilityKeeper(IJobQueue queue, IOptions<IngestOptions> options, TimeProvider time, ILogger<VisibilityKeeper> logger)
{
    public async Task KeepHiddenAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var timeout = options.Value.VisibilityTimeout;
        try
        {
            while (true)
            {
                await Task.Delay(timeout / 3, time, cancellationToken);
                await queue.ExtendAsync(message, timeout, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            Log.ExtendFailed(logger, e, message.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(205, LogLevel.Warning, "Could not extend the visibility of job {MessageId}; another worker may pick it up")]
        public static partial void ExtendFailed(ILogger logger, Exception exception, string messageId);
    }
}
