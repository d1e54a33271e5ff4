using OpenCdn.Catalog;
using OpenCdn.Ingest;
using OpenCdn.Ingest.Jobs;
using OpenCdn.Ingest.Ladder.PerTitle;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Platform;
using OpenCdn.Platform.Observability;

var builder = Host.CreateApplicationBuilder(args);
builder.AddLogFormat();
builder.AddTelemetry("opencdn-ingest");
builder.AddOriginStorage();
builder.AddJobQueue();
builder.AddTitleCatalog();
builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<PerTitleOptions>().BindConfiguration(PerTitleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<PerTitleLadder>();
builder.Services.AddOptions<ChunkingOptions>().BindConfiguration(ChunkingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<WorkFolder>();
builder.Services.AddIngestJobs();
builder.Services.AddOptions<Av1Options>().BindConfiguration(Av1Options.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<Av1EncoderCheck>(); // before the workers: a missing encoder stops the start
builder.Services.AddHostedService<JobWorker>();
builder.Services.AddHostedService<DeadLetterWorker>();
builder.Build().Run();
