namespace OpenCdn.Testing;

/// <summary>
/// The control plane and a worker in cloud mode: PostgreSQL for the catalog, S3 (s3rver) for origin and SQS
/// (local-aws-sqs, with a dead-letter queue) for jobs — the same binaries, configured differently.
/// </summary>
public sealed class CloudPlatform : IAsyncLifetime
{
    public const int MaxReceives = CloudServices.MaxReceives;

    public CloudServices Services { get; } = new();

    public PostgresServer Postgres => Services.Postgres;

    public S3Emulator S3 => Services.S3;

    public SqsEmulator Sqs => Services.Sqs;

    public PlatformProcesses Platform { get; private set; } = null!;

    /// <summary>The transcode queue the platform uses, and its dead-letter queue.</summary>
    public (Uri Queue, Uri DeadLetters) JobQueues => Services.JobQueues;

    public async Task InitializeAsync()
    {
        await Services.InitializeAsync();
        Platform = PlatformProcesses.With(Services.Settings);
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Services.DisposeAsync();
    }
}
