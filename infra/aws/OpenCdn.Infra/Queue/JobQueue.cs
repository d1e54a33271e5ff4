using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace OpenCdn.Infra.Queue;

/// <summary>
/// The transcode job queue and its dead-letter queue. A job received <see cref="MaxAttempts"/> times moves to the
/// dead-letter queue; the worker is given the same number (<c>OpenCdn__Ingest__MaxAttempts</c>), so its last attempt
/// fails the title at the same count at which SQS gives up on the message.
/// </summary>
internal sealed class JobQueue : Construct
{
    /// <summary>Receives of one job: the redrive policy's maxReceiveCount and the worker's MaxAttempts.</summary>
    public const int MaxAttempts = 3;

    public JobQueue(Construct scope, string id) : base(scope, id)
    {
        DeadLetters = new Amazon.CDK.AWS.SQS.Queue(this, "DeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        Jobs = new Amazon.CDK.AWS.SQS.Queue(this, "Jobs", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
            // The worker sets its own visibility per receive and extends it while a job runs (OpenCdn:Ingest:VisibilityTimeout).
            VisibilityTimeout = Duration.Minutes(2),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetters, MaxReceiveCount = MaxAttempts },
        });
    }

    public Amazon.CDK.AWS.SQS.Queue Jobs { get; }

    public Amazon.CDK.AWS.SQS.Queue DeadLetters { get; }
}
