using OpenCdn.Platform.Queue;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>The same on SQS (local-aws-sqs with a redrive policy of 3 receives), PostgreSQL and S3.</summary>
public sealed class DeadLetterOnSqsTests(CloudPlatform cloud) : IClassFixture<CloudPlatform>, IDisposable
{
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task WorkerKilledDuringEveryAttempt_OnSqs_FailsTheTitleWithTheReason()
    {
        using var admin = await cloud.Platform.AdminAsync();
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("doomed.mp4"), 1280, 720, "25", 20, audioChannels: 2);

        var title = await WorkerKills.KillEveryAttemptAsync(cloud.Platform, admin, master, CloudPlatform.MaxReceives);

        Assert.Equal("failed", title.Status());
        Assert.Contains("stopped during every attempt", title.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        using var sqs = cloud.Sqs.CreateClient();
        var queue = new SqsJobQueue(sqs, cloud.JobQueues.Queue, cloud.JobQueues.DeadLetters);
        await Eventually.TrueAsync(async () => await queue.CountDeadLettersAsync(default) == 0, "the dead letter is deleted");
    }

    public void Dispose() => _masters.Dispose();
}
