namespace OpenCdn.Infra.Tests;

/// <summary>The job queue: a job goes to the dead-letter queue at the receive where the worker gives up on it.</summary>
[Collection(StackCollection.Name)]
public sealed class QueueTests(SynthesizedStack stack)
{
    [Fact]
    public void JobQueue_RedrivesToTheDeadLetterQueue_AtTheWorkersMaxAttempts()
    {
        var queues = stack.Resources("AWS::SQS::Queue").ToList();
        Assert.Equal(2, queues.Count);
        var (_, jobs) = Assert.Single(queues, q => q.Resource["Properties"]!["RedrivePolicy"] is not null);
        var (deadLettersId, _) = Assert.Single(queues, q => q.Resource["Properties"]!["RedrivePolicy"] is null);
        var redrive = jobs["Properties"]!["RedrivePolicy"]!;
        Assert.Equal(deadLettersId, Json.RefersTo(redrive["deadLetterTargetArn"]));

        var maxReceiveCount = (int)redrive["maxReceiveCount"]!;
        var (_, _, worker) = stack.TaskWith("Worker");
        var maxAttempts = (string)Json.Environment(worker)["OpenCdn__Ingest__MaxAttempts"]!;
        Assert.Equal(maxReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture), maxAttempts);
        Assert.Equal(Queue.JobQueue.MaxAttempts, maxReceiveCount);
    }

    [Fact]
    public void Queues_AreEncrypted_AndKeepJobsTwoWeeks()
    {
        var queues = stack.Resources("AWS::SQS::Queue").ToList();
        Assert.Equal(2, queues.Count); // the job queue and its dead-letter queue: none escapes the checks below
        Assert.All(queues, q =>
        {
            Assert.True((bool)q.Resource["Properties"]!["SqsManagedSseEnabled"]!);
            Assert.Equal(14 * 24 * 3600, (int)q.Resource["Properties"]!["MessageRetentionPeriod"]!);
        });
    }
}
