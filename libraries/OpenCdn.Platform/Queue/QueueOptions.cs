using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Platform.Queue;

public enum QueueKind
{
    Local,
    Sqs,
}

/// <summary><c>OpenCdn:Queue</c>: the transcode job queue.</summary>
public sealed class QueueOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Queue";

    public QueueKind Kind { get; set; } = QueueKind.Local;

    /// <summary>Local: the queue file; defaults to <c>{DataFolder}/queue.db</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Receives after which a message goes to the dead-letter queue (Local; on SQS the redrive policy decides).</summary>
    public int MaxReceives { get; set; } = 3;

    public SqsQueueOptions Sqs { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == QueueKind.Sqs && (Sqs.QueueUrl is null || Sqs.DeadLetterQueueUrl is null))
        {
            yield return new ValidationResult("OpenCdn:Queue:Sqs:QueueUrl and DeadLetterQueueUrl are required when OpenCdn:Queue:Kind is Sqs.");
        }
        if (MaxReceives < 1)
        {
            yield return new ValidationResult("OpenCdn:Queue:MaxReceives must be at least 1.");
        }
    }
}

/// <summary><c>OpenCdn:Queue:Sqs</c>. Credentials fall back to the AWS default chain when not set.</summary>
public sealed class SqsQueueOptions
{
    public Uri? QueueUrl { get; set; }

    public Uri? DeadLetterQueueUrl { get; set; }

    /// <summary>An SQS-compatible endpoint (e.g. a local emulator); unset for AWS itself.</summary>
    public Uri? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }
}
