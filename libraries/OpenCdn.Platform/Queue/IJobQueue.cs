namespace OpenCdn.Platform.Queue;

/// <summary>
/// The transcode job queue: at-least-once delivery. A received message stays invisible for its visibility timeout;
/// unless it is deleted (acknowledged) in time it comes back, and after <see cref="QueueOptions.MaxReceives"/>
/// receives it moves to the dead-letter queue instead.
/// </summary>
public interface IJobQueue
{
    /// <summary>Durably enqueues <paramref name="body"/> (at most <see cref="QueueMessage.MaxBodyBytes"/> bytes of UTF-8); returns its id.</summary>
    Task<string> SendAsync(string body, CancellationToken cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a visible message and hides it for <paramref name="visibilityTimeout"/>;
    /// null if none came.
    /// </summary>
    Task<QueueMessage?> ReceiveAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Keeps a message being worked on hidden for another <paramref name="visibilityTimeout"/> from now.</summary>
    Task ExtendAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Acknowledges a message: it is never delivered again.</summary>
    Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken);

    /// <summary>How many messages wait in the dead-letter queue (approximate on SQS).</summary>
    Task<int> CountDeadLettersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a message in the dead-letter queue (one received
    /// <see cref="QueueOptions.MaxReceives"/> times and never deleted) and hides it for <paramref name="visibilityTimeout"/>,
    /// so that one consumer at a time handles it; null if none came. Its receipt works with
    /// <see cref="DeleteDeadLetterAsync"/> only.
    /// </summary>
    Task<QueueMessage?> ReceiveDeadLetterAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Removes a dead letter for good (once it has been handled).</summary>
    Task DeleteDeadLetterAsync(QueueMessage message, CancellationToken cancellationToken);
}
