using System.Diagnostics;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Platform.Queue;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// The worker's spans: one per job, continuing the trace the job message carries (the upload that queued it), with a
/// child per stage. Without a configured exporter nothing listens and every call here returns null.
/// </summary>
internal static class JobActivities
{
    private static readonly ActivitySource Source = new("OpenCdn.Ingest");

    /// <summary>The job's span: a child of the message's trace context, or the root of a new trace for a message without one.</summary>
    public static Activity? StartJob(TranscodeJob job, QueueMessage message)
    {
        job.TryGetTraceContext(out var parent);
        var activity = Source.StartActivity("ingest.transcode", ActivityKind.Consumer, parent);
        activity?.SetTag("opencdn.title_id", job.TitleId).SetTag("messaging.message.id", message.Id)
            .SetTag("opencdn.job.attempt", message.ReceiveCount);
        return activity;
    }

    /// <summary>A chunk job's span (<see cref="ChunkRunner"/>), continuing the trace of the transcode job that planned it.</summary>
    public static Activity? StartChunk(ChunkJob job, QueueMessage message)
    {
        job.TryGetTraceContext(out var parent);
        var activity = Source.StartActivity("ingest.chunk", ActivityKind.Consumer, parent);
        activity?.SetTag("opencdn.title_id", job.TitleId).SetTag("opencdn.chunk.part", job.PartName).SetTag("messaging.message.id", message.Id)
            .SetTag("opencdn.job.attempt", message.ReceiveCount);
        return activity;
    }

    /// <summary>A stage of the current job (<c>ingest.fetch_master</c>, <c>ingest.probe</c>, …).</summary>
    public static Activity? StartStage(string name) => Source.StartActivity(name);

    /// <summary>
    /// Marks the current stage and the job above it as failed. Meant for an exception filter: it returns false, so the
    /// exception goes on to the job's own handling untouched, and it runs before the stage's span ends.
    /// </summary>
    public static bool Failed(Exception exception)
    {
        var innermost = true;
        for (var activity = Activity.Current; activity is not null && activity.Source == Source; activity = activity.Parent)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            if (innermost)
            {
                activity.AddException(exception);
                innermost = false;
            }
        }
        return false;
    }
}
