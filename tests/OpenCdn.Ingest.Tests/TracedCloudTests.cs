using OpenCdn.Testing;
using OpenCdn.Testing.Otlp;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// Tracing in cloud mode (PostgreSQL, S3, SQS): the trace crosses SQS, the worker's S3 and PostgreSQL calls are spans
/// under its stages, and the calls nobody's operation made (SQS polls, the fleet sync) start no trace of their own.
/// </summary>
public sealed class TracedCloudTests : IAsyncLifetime
{
    private const int Client = 3;
    private readonly PostgresServer _postgres = new();
    private readonly S3Emulator _s3 = new();
    private readonly SqsEmulator _sqs = new();
    private readonly OtlpReceiver _receiver = new();
    private readonly TempFolder _masters = new();
    private PlatformProcesses _platform = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), _s3.InitializeAsync(), _sqs.InitializeAsync(), _receiver.InitializeAsync());
        var (queue, deadLetters) = await _sqs.CreateQueuePairAsync("transcode", 3);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Catalog"] = _postgres.ConnectionString(),
            ["OpenCdn:Queue:Kind"] = "Sqs",
            ["OpenCdn:Queue:Sqs:QueueUrl"] = queue.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:DeadLetterQueueUrl"] = deadLetters.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:ServiceUrl"] = _sqs.ServiceUrl.AbsoluteUri,
            ["OpenCdn:Queue:Sqs:AccessKey"] = "test",
            ["OpenCdn:Queue:Sqs:SecretKey"] = "test",
            ["OpenCdn:Telemetry:OtlpEndpoint"] = _receiver.BaseUrl.AbsoluteUri,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        foreach (var (key, value) in _s3.Settings)
        {
            settings[key] = value!;
        }
        _platform = PlatformProcesses.With(settings);
        await _platform.InitializeAsync();
    }

    [Fact]
    public async Task Upload_OnS3SqsAndPostgres_OneTraceWithTheWorkersStorageAndDatabaseCalls_AndNoBackgroundTraces()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("cloud.mp4"), 320, 240, "25", 2, audioChannels: 0);
        using var admin = await _platform.AdminAsync();
        var id = await admin.UploadAsync("Traced in the cloud", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3))).Status());

        var job = await Eventually.ValueAsync(() => Task.FromResult(_receiver.Spans.SingleOrDefault(
                s => s.Name == "ingest.transcode" && s.Attribute("opencdn.title_id") == id)),
            s => s is not null, $"the worker's job span for {id}");
        var trace = _receiver.Spans.Where(s => s.TraceId == job!.TraceId).ToList();
        Assert.Contains(trace, s => s.Name == "ingest.enqueue" && s.Service == "opencdn-control-plane" && s.SpanId == job!.ParentSpanId);
        var stages = trace.Where(s => s.ParentSpanId == job!.SpanId).ToDictionary(s => s.SpanId, s => s.Name);
        // The master comes from S3 and the package goes there, under their stages; the title's status is a PostgreSQL command.
        Assert.Contains(trace, s => s.Kind == Client && s.Attribute("http.request.method") == "GET"
            && stages.GetValueOrDefault(s.ParentSpanId) == "ingest.fetch_master");
        Assert.Contains(trace, s => s.Kind == Client && s.Attribute("http.request.method") == "PUT"
            && stages.GetValueOrDefault(s.ParentSpanId) == "ingest.publish");
        Assert.Contains(trace, s => s.Kind == Client && s.Scope == "Npgsql" && stages.GetValueOrDefault(s.ParentSpanId) == "ingest.mark_ready");
        Assert.DoesNotContain(_receiver.Spans, s => s.Kind == Client && s.ParentSpanId.Length == 0);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        await Task.WhenAll(_postgres.DisposeAsync(), _s3.DisposeAsync(), _sqs.DisposeAsync(), _receiver.DisposeAsync());
        _masters.Dispose();
    }
}
