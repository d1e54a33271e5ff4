using System.Text;

namespace OpenCdn.Platform.Queue;

/// <summary>A received message. <see cref="ReceiptHandle"/> identifies this receive: an older receipt cannot delete or extend it.</summary>
public sealed record QueueMessage(string Id, string Body, string ReceiptHandle, int ReceiveCount)
{
    /// <summary>SQS's limit, applied to every queue so a job that works on one machine works in the cloud.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    internal static void ValidateBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw new ArgumentException("A queue message body cannot be empty.", nameof(body));
        }
        var bytes = Encoding.UTF8.GetByteCount(body);
        if (bytes > MaxBodyBytes)
        {
            throw new ArgumentException($"A queue message body is {bytes} bytes; the limit is {MaxBodyBytes} (256 KiB).", nameof(body));
        }
    }
}
