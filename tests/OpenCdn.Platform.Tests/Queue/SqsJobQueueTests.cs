using Amazon.SQS;
using OpenCdn.Platform.Queue;
using OpenCdn.Testing;

namespace OpenCdn.Platform.Tests.Queue;

/// <summary>The queue contract against local-aws-sqs over the SQS JSON protocol, with a real redrive policy.</summary>
public sealed class SqsJobQueueTests(SqsEmulator sqs) : JobQueueContract, IClassFixture<SqsEmulator>
{
    private readonly AmazonSQSClient _client = sqs.CreateClient();

    protected override async Task<IJobQueue> CreateQueueAsync()
    {
        var (queue, deadLetters) = await sqs.CreateQueuePairAsync($"jobs-{Guid.NewGuid():N}", MaxReceives);
        return new SqsJobQueue(_client, queue, deadLetters);
    }

    [Fact]
    public async Task MissingQueue_IsReportedByUrl()
    {
        var missing = new Uri(sqs.ServiceUrl, "/123456789012/no-such-queue");
        var queue = new SqsJobQueue(_client, missing, missing);

        var error = await Assert.ThrowsAsync<QueueException>(() => queue.SendAsync("job", default));

        Assert.Contains("no-such-queue does not exist", error.Message, StringComparison.Ordinal);
    }
}
