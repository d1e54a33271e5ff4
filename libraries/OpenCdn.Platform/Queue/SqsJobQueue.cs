using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace OpenCdn.Platform.Queue;

/// <summary>The cloud queue: an SQS queue whose redrive policy moves a message to its dead-letter queue after maxReceiveCount receives.</summary>
public sealed class SqsJobQueue(IAmazonSQS sqs, Uri queueUrl, Uri deadLetterQueueUrl) : IJobQueue
{
    private const int MaxWaitSeconds = 20;
    private const string ReceiveCount = "ApproximateReceiveCount";

    public async Task<string> SendAsync(string body, CancellationToken cancellationToken)
    {
        QueueMessage.ValidateBody(body);
        try
        {
            var response = await sqs.SendMessageAsync(queueUrl.AbsoluteUri, body, cancellationToken);
            return response.MessageId;
        }
        catch (AmazonSQSException e)
        {
            throw Translate(e, queueUrl);
        }
    }

    public Task<QueueMessage?> ReceiveAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken) =>
        ReceiveFromAsync(queueUrl, visibilityTimeout, wait, cancellationToken);

    public Task<QueueMessage?> ReceiveDeadLetterAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken) =>
        ReceiveFromAsync(deadLetterQueueUrl, visibilityTimeout, wait, cancellationToken);

    public Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken) => DeleteFromAsync(queueUrl, message, cancellationToken);

    public Task DeleteDeadLetterAsync(QueueMessage message, CancellationToken cancellationToken) =>
        DeleteFromAsync(deadLetterQueueUrl, message, cancellationToken);

    public async Task ExtendAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            await sqs.ChangeMessageVisibilityAsync(queueUrl.AbsoluteUri, message.ReceiptHandle, Seconds(visibilityTimeout), cancellationToken);
        }
        catch (AmazonSQSException e)
        {
            throw Translate(e, queueUrl);
        }
    }

    public async Task<int> CountDeadLettersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await sqs.GetQueueAttributesAsync(deadLetterQueueUrl.AbsoluteUri, ["ApproximateNumberOfMessages"], cancellationToken);
            return response.ApproximateNumberOfMessages;
        }
        catch (AmazonSQSException e)
        {
            throw Translate(e, deadLetterQueueUrl);
        }
    }

    private async Task<QueueMessage?> ReceiveFromAsync(Uri queue, TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken)
    {
        var request = new ReceiveMessageRequest
        {
            QueueUrl = queue.AbsoluteUri,
            MaxNumberOfMessages = 1,
            VisibilityTimeout = Seconds(visibilityTimeout),
            WaitTimeSeconds = Math.Min(MaxWaitSeconds, (int)wait.TotalSeconds),
            MessageSystemAttributeNames = [ReceiveCount],
        };
        try
        {
            var response = await sqs.ReceiveMessageAsync(request, cancellationToken);
            if (response.Messages is not [var message, ..])
            {
                return null;
            }
            var count = message.Attributes?.TryGetValue(ReceiveCount, out var value) == true
                ? int.Parse(value, CultureInfo.InvariantCulture)
                : 1;
            return new QueueMessage(message.MessageId, message.Body, message.ReceiptHandle, count);
        }
        catch (AmazonSQSException e)
        {
            throw Translate(e, queue);
        }
    }

    private async Task DeleteFromAsync(Uri queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await sqs.DeleteMessageAsync(queue.AbsoluteUri, message.ReceiptHandle, cancellationToken);
        }
        catch (AmazonSQSException e)
        {
            throw Translate(e, queue);
        }
    }

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);

    private static QueueException Translate(AmazonSQSException e, Uri queue) => e switch
    {
        QueueDoesNotExistException => new QueueException($"SQS queue {queue} does not exist.", e),
        ReceiptHandleIsInvalidException or MessageNotInflightException =>
            new QueueException($"The receipt is no longer valid for {queue}: the message was received again or deleted.", e),
        _ => new QueueException($"SQS failed on {queue}: {e.ErrorCode} {e.Message}", e),
    };
}
