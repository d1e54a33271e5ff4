using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Platform.Queue;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Takes jobs from the queue one at a time, transcode jobs and the chunk jobs of long titles alike; a job that throws
/// comes back after its visibility timeout.
/// </summary>
internal sealed partial class JobWorker(
    IJobQueue queue, TranscodeRunner runner, ChunkRunner chunks, MasterCache masters, IOptions<IngestOptions> options,
    ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var message = await queue.ReceiveAsync(options.Value.VisibilityTimeout, Wait, stoppingToken);
                if (message is not null && ChunkJob.FromMessage(message.Body) is { } chunk)
                {
                    await chunks.RunAsync(chunk, message, stoppingToken);
                }
                else if (message is not null)
                {
                    await runner.RunAsync(message, stoppingToken);
                }
                else
                {
                    await masters.SweepAsync(stoppingToken); // idle: drop the masters of titles that are done
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.JobFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Ingest worker waiting for transcode jobs")]
        public static partial void Started(ILogger logger);

        [LoggerMessage(101, LogLevel.Error, "A transcode job failed; it will be retried after its visibility timeout")]
        public static partial void JobFailed(ILogger logger, Exception exception);
    }
}
