using OpenCdn.Catalog;
using OpenCdn.Ingest;
using OpenCdn.Ingest.Jobs;
using OpenCdn.Platform;
using OpenCdn.Platform.Observability;

var builder = Host.CreateApplicationBuilder(args);
builder.AddLogFormat();
builder.AddTelemetry("opencdn-ingest");
builder.AddOriginStorage();
builder.AddJobQueue();
builder.AddTitleCatalog();
builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<ChunkingOptions>().BindConfiguration(ChunkingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<WorkFolder>();
builder.Services.AddIngestJobs();
builder.Services.AddHostedService<JobWorker>();
builder.Services.AddHostedService<DeadLetterWorker>();
builder.Build().Run();
