using System.Diagnostics;
using System.Text.Json;

namespace OpenCdn.Contracts.Jobs;

/// <summary>
/// The job-queue message that asks a worker to turn a title's master into a package, in <see cref="ContractJson"/>.
/// <see cref="TraceParent"/> and <see cref="TraceState"/> carry the W3C trace context of the operation that queued it
/// (<c>traceparent</c> / <c>tracestate</c> values), so the worker's spans join the upload's trace; messages written
/// before they existed have neither and are read as before.
/// </summary>
public sealed record TranscodeJob(string TitleId, string MasterKey, string? TraceParent = null, string? TraceState = null)
{
    /// <summary>The longest <c>tracestate</c> carried (W3C allows 32 members of at most 256 characters; 512 is what propagators keep).</summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>
    /// A job that continues <paramref name="activity"/>'s trace when that trace is being recorded (W3C format). An
    /// unrecorded one (the sender does not trace) is not carried: its "not sampled" flag would keep a tracing worker silent.
    /// </summary>
    public static TranscodeJob Create(string titleId, string masterKey, Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Recorded: true, Id: { } id }
            ? new TranscodeJob(titleId, masterKey, id, activity.TraceStateString is { Length: <= MaxTraceStateLength } state ? state : null)
            : new TranscodeJob(titleId, masterKey);

    public string ToMessage() => JsonSerializer.Serialize(this, ContractJson.Options);

    /// <summary>The trace to continue; false when the message carries none or a malformed one (the job still runs, on a new trace).</summary>
    public bool TryGetTraceContext(out ActivityContext context)
    {
        var state = TraceState is { Length: <= MaxTraceStateLength } ? TraceState : null;
        return ActivityContext.TryParse(TraceParent, state, isRemote: true, out context);
    }

    /// <summary>The job a queue message carries; null when the body is not one (it never throws on bad input).</summary>
    public static TranscodeJob? FromMessage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<TranscodeJob>(body, ContractJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
