using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Platform.Queue;
using OpenCdn.Testing;
using OpenCdn.Testing.Otlp;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// OpenTelemetry across processes: the control plane and a worker export to a real OTLP/HTTP receiver, and one title's
/// trace runs from its upload through the queue to the worker's stages; a playback decision is one span.
/// </summary>
public sealed class TelemetryTests(TracedPlatform traced) : IClassFixture<TracedPlatform>
{
    private const string ControlPlane = "opencdn-control-plane";
    private const string Worker = "opencdn-ingest";
    private const int Server = 2, Producer = 4, Consumer = 5, StatusError = 2;

    private static readonly string[] Stages =
        ["ingest.fetch_master", "ingest.probe", "ingest.analyze", "ingest.encode", "ingest.package", "ingest.publish", "ingest.mark_ready"];

    private OtlpReceiver Receiver => traced.Receiver;

    [Fact]
    public async Task UploadedTitle_OneTraceRunsFromTheUploadThroughTheQueueToTheWorkersStages()
    {
        var id = await traced.ReadyTitleAsync();

        var job = await Eventually.ValueAsync(() => Task.FromResult(Receiver.Spans.SingleOrDefault(
                s => s.Name == "ingest.transcode" && s.Attribute("opencdn.title_id") == id)),
            s => s is not null, $"the worker's job span for {id}");
        var trace = Receiver.Spans.Where(s => s.TraceId == job!.TraceId).ToList();
        var enqueue = Assert.Single(trace, s => s.Name == "ingest.enqueue");
        Assert.Equal((ControlPlane, Producer, id), (enqueue.Service, enqueue.Kind, enqueue.Attribute("opencdn.title_id")));
        // The request that completed the upload (the last tus PATCH) started it, in the control plane.
        var upload = Assert.Single(trace, s => s.SpanId == enqueue.ParentSpanId);
        Assert.Equal((ControlPlane, Server, "PATCH"), (upload.Service, upload.Kind, upload.Attribute("http.request.method")));
        Assert.Equal((Worker, Consumer, enqueue.SpanId), (job!.Service, job.Kind, job.ParentSpanId));
        var stages = await Eventually.ValueAsync(
            () => Task.FromResult(Receiver.Spans.Where(s => s.TraceId == job.TraceId && s.ParentSpanId == job.SpanId).ToList()),
            spans => spans.Count >= Stages.Length, "the job's stage spans");
        Assert.Equal(Stages, stages.Select(s => s.Name).OrderBy(name => Array.IndexOf(Stages, name)));
        Assert.All(stages, s => Assert.Equal(Worker, s.Service));
        Assert.All(trace.Where(s => s.Service == Worker), s => Assert.NotEqual(StatusError, s.StatusCode));
    }

    [Fact]
    public async Task PlaybackDecision_IsOneSpanUnderItsRequest()
    {
        var id = await traced.ReadyTitleAsync();
        using var viewer = await traced.Platform.ViewerAsync();

        // The steering snapshot follows the catalog within a second; every attempt is a decision, and each must be one span.
        var attempts = 0;
        await Eventually.TrueAsync(async () =>
        {
            attempts++;
            using var response = await viewer.PostAsync($"/api/v1/playback/{id}", null);
            return response.StatusCode == HttpStatusCode.OK;
        }, "a playback decision for the ready title");

        var decisions = await Eventually.ValueAsync(
            () => Task.FromResult(Receiver.Spans.Where(s => s.Name == "steering.decide" && s.Attribute("opencdn.title_id") == id).ToList()),
            spans => spans.Count >= attempts, $"{attempts} decision spans");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second export round: no extra span arrives late
        decisions = [.. Receiver.Spans.Where(s => s.Name == "steering.decide" && s.Attribute("opencdn.title_id") == id)];
        Assert.Equal(attempts, decisions.Count);
        var last = Assert.Single(decisions, s => s.Attribute("opencdn.steering.outcome") != "unknown-title");
        Assert.Equal((ControlPlane, "other", "1"),
            (last.Service, last.Attribute("opencdn.steering.outcome"), last.Attribute("opencdn.steering.servers")));
        var request = Assert.Single(Receiver.Spans, s => s.SpanId == last.ParentSpanId);
        Assert.Equal((Server, "POST", last.TraceId), (request.Kind, request.Attribute("http.request.method"), request.TraceId));
    }

    [Fact]
    public async Task Metrics_OfBothProcesses_ReachTheReceiver()
    {
        await Eventually.TrueAsync(() => Receiver.Metrics.Any(m => m.Service == Worker && m.Metric.StartsWith("dotnet.", StringComparison.Ordinal)),
            "the worker's runtime metrics");
        using var response = await traced.Platform.Http.GetAsync("/api/v1/titles"); // one request: the server's metrics have a point
        await Eventually.TrueAsync(() => Receiver.Metrics.Contains((ControlPlane, "http.server.request.duration")),
            "the control plane's request metrics");
    }

    [Fact]
    public async Task JobMessage_WithoutTraceContext_AsWrittenBeforeIt_IsStillProcessed()
    {
        var platform = traced.Platform;
        await platform.Worker!.KillAsync();
        var id = await traced.UploadAsync("old-message");
        using var admin = await platform.AdminAsync();
        await Eventually.ValueAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}"), t => t.Status() == "queued",
            "the title is queued");

        // Take the job as the control plane sent it, and put it back in the shape older control planes wrote.
        var queue = new LocalJobQueue(Path.Combine(platform.Data.Path, "queue.db"), 3, TimeProvider.System);
        var message = await queue.ReceiveAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(message);
        var sent = TranscodeJob.FromMessage(message.Body)!;
        Assert.Equal(id, sent.TitleId);
        Assert.True(sent.TryGetTraceContext(out var context), message.Body);
        var old = JsonSerializer.Serialize(new { titleId = sent.TitleId, masterKey = sent.MasterKey });
        await queue.SendAsync(old, CancellationToken.None);
        await queue.DeleteAsync(message, CancellationToken.None);

        await platform.StartWorkerAsync();
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3))).Status());
        // Its spans start a trace of their own: there was nothing to continue.
        var job = await Eventually.ValueAsync(() => Task.FromResult(Receiver.Spans.SingleOrDefault(
                s => s.Name == "ingest.transcode" && s.Attribute("opencdn.title_id") == id)),
            s => s is not null, $"the worker's job span for {id}");
        Assert.Equal("", job!.ParentSpanId);
        Assert.NotEqual(context.TraceId.ToHexString(), job.TraceId);
    }
}
