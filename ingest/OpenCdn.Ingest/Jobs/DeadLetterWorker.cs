using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Platform.Queue;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Settles the jobs that ran out of attempts. A job lands in the dead-letter queue when no attempt acknowledged it, which
/// happens when the worker died during each one (a failure the runner sees fails the title itself): each dead letter
/// fails its title with <see cref="FailureKind.WorkerDied"/>, unless the title is ready, failed, retired or took another
/// master since, and is then deleted. Every worker runs one; that is safe: a dead letter is hidden while one worker
/// handles it, failing the title is one conditional update, and handling a dead letter twice changes nothing.
/// </summary>
internal sealed partial class DeadLetterWorker(
    IJobQueue queue, TitleStore titles, IOptions<IngestOptions> options, ILogger<DeadLetterWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await queue.ReceiveDeadLetterAsync(options.Value.VisibilityTimeout, Wait, stoppingToken) is { } letter)
                {
                    await SettleAsync(letter, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SettleFailed(logger, e); // the dead letter comes back after its visibility timeout
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    private async Task SettleAsync(QueueMessage letter, CancellationToken cancellationToken)
    {
        var job = TranscodeJob.FromMessage(letter.Body);
        if (job is { TitleId: { Length: > 0 } titleId, MasterKey: { Length: > 0 } masterKey })
        {
            if (await titles.FailJobAsync(titleId, masterKey, FailureReasons.For(FailureKind.WorkerDied), cancellationToken))
            {
                Log.TitleFailed(logger, titleId, letter.ReceiveCount);
            }
            else
            {
                Log.AlreadySettled(logger, titleId);
            }
        }
        else
        {
            Log.NotAJob(logger, letter.Id);
        }
        await queue.DeleteDeadLetterAsync(letter, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(
            300, LogLevel.Error, "Title {TitleId} failed: its transcode job was dead-lettered after {Attempts} attempts that never finished")]
        public static partial void TitleFailed(ILogger logger, string titleId, int attempts);

        [LoggerMessage(301, LogLevel.Information, "Dead-lettered job of title {TitleId} dropped: the title is done, retired or has a newer master")]
        public static partial void AlreadySettled(ILogger logger, string titleId);

        [LoggerMessage(302, LogLevel.Warning, "Dead letter {MessageId} is not a transcode job; dropped")]
        public static partial void NotAJob(ILogger logger, string messageId);

        [LoggerMessage(303, LogLevel.Warning, "Handling a dead-lettered job failed; it comes back after its visibility timeout")]
        public static partial void SettleFailed(ILogger logger, Exception exception);
    }
}
