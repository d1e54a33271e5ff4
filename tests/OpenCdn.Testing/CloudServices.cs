using System.Globalization;

namespace OpenCdn.Testing;

/// <summary>
/// The cloud backbone as real protocol peers: PostgreSQL for the catalog, S3 (s3rver) for origin and SQS (local-aws-sqs,
/// with a dead-letter queue) for jobs, and the settings that point the platform's processes at them.
/// </summary>
public sealed class CloudServices : IAsyncLifetime
{
    public const int MaxReceives = 3;

    public PostgresServer Postgres { get; } = new();

    public S3Emulator S3 { get; } = new();

    public SqsEmulator Sqs { get; } = new();

    /// <summary>The transcode queue the platform uses, and its dead-letter queue.</summary>
    public (Uri Queue, Uri DeadLetters) JobQueues { get; private set; }

    /// <summary>Configuration keys (with ':') for every control plane and worker of this platform.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), S3.InitializeAsync(), Sqs.InitializeAsync());
        JobQueues = await Sqs.CreateQueuePairAsync("transcode", MaxReceives);
        var (queue, deadLetters) = JobQueues;
        Settings["ConnectionStrings:Catalog"] = Postgres.ConnectionString();
        Settings["OpenCdn:Queue:Kind"] = "Sqs";
        Settings["OpenCdn:Queue:Sqs:QueueUrl"] = queue.AbsoluteUri;
        Settings["OpenCdn:Queue:Sqs:DeadLetterQueueUrl"] = deadLetters.AbsoluteUri;
        Settings["OpenCdn:Queue:Sqs:ServiceUrl"] = Sqs.ServiceUrl.AbsoluteUri;
        Settings["OpenCdn:Queue:Sqs:AccessKey"] = "test";
        Settings["OpenCdn:Queue:Sqs:SecretKey"] = "test";
        Settings["OpenCdn:Ingest:MaxAttempts"] = MaxReceives.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in S3.Settings)
        {
            Settings[key] = value!;
        }
    }

    public async Task DisposeAsync() => await Task.WhenAll(Postgres.DisposeAsync(), S3.DisposeAsync(), Sqs.DisposeAsync());
}
