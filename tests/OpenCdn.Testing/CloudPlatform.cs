namespace OpenCdn.Testing;

/// <summary>
/// The control plane and a worker in cloud mode: PostgreSQL for the catalog, S3 (s3rver) for origin and SQS
/// (local-aws-sqs, with a dead-letter queue) for jobs — the same binaries, configured differently.
/// </summary>
public sealed class CloudPlatform : IAsyncLifetime
{
    public const int MaxReceives = 3;

    public PostgresServer Postgres { get; } = new();

    public S3Emulator S3 { get; } = new();

    public SqsEmulator Sqs { get; } = new();

    public PlatformProcesses Platform { get; private set; } = null!;

    /// <summary>The transcode queue the platform uses, and its dead-letter queue.</summary>
    public (Uri Queue, Uri DeadLetters) JobQueues { get; private set; }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), S3.InitializeAsync(), Sqs.InitializeAsync());
        JobQueues = await Sqs.CreateQueuePairAsync("transcode", MaxReceives);
        var (queue, deadLetters) = JobQueues;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Catalog"] = Postgres.ConnectionString(),
            ["OpenCdn:Queue:Kind"] = "Sqs",
            ["OpenCdn:Queue:Sqs:QueueUrl"] = queue.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:DeadLetterQueueUrl"] = deadLetters.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:ServiceUrl"] = Sqs.ServiceUrl.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:AccessKey"] = "test",
            ["OpenCdn:Queue:Sqs:SecretKey"] = "test",
            ["OpenCdn:Ingest:MaxAttempts"] = MaxReceives.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in S3.Settings)
        {
            settings[key] = value!;
        }
        Platform = PlatformProcesses.With(settings);
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Task.WhenAll(Postgres.DisposeAsync(), S3.DisposeAsync(), Sqs.DisposeAsync());
    }
}
