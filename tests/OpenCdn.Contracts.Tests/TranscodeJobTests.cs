using System.Diagnostics;
using OpenCdn.Contracts.Jobs;

namespace OpenCdn.Contracts.Tests;

/// <summary>The job message carries the W3C trace context of the upload that queued it; messages without one still read.</summary>
public sealed class TranscodeJobTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Job_CreatedUnderAnActivity_CarriesItsTraceContext_ThroughTheMessage()
    {
        using var activity = new Activity("upload").SetParentId(TraceParent).Start();
        activity.TraceStateString = "vendor=a";

        var read = TranscodeJob.FromMessage(TranscodeJob.Create("t1", "masters/t1/a.mp4", activity).ToMessage())!;

        Assert.Equal(("t1", "masters/t1/a.mp4"), (read.TitleId, read.MasterKey));
        Assert.True(read.TryGetTraceContext(out var context));
        Assert.Equal(("0af7651916cd43dd8448eb211c80319c", activity.SpanId.ToHexString()),
            (context.TraceId.ToHexString(), context.SpanId.ToHexString()));
        Assert.Equal(("vendor=a", true, ActivityTraceFlags.Recorded), (context.TraceState, context.IsRemote, context.TraceFlags));
    }

    [Fact]
    public void Message_WrittenBeforeTraceContext_IsReadWithNone()
    {
        var read = TranscodeJob.FromMessage("""{"titleId":"t1","masterKey":"masters/t1/a.mp4"}""")!;

        Assert.Equal(new TranscodeJob("t1", "masters/t1/a.mp4"), read);
        Assert.False(read.TryGetTraceContext(out _));
    }

    [Fact]
    public void Job_CreatedWithoutAnActivity_CarriesNone() =>
        Assert.False(TranscodeJob.Create("t1", "masters/t1/a.mp4", null).TryGetTraceContext(out _));

    [Fact]
    public void Job_CreatedUnderAnUnrecordedActivity_CarriesNone_SoATracingWorkerStartsItsOwnTrace()
    {
        using var activity = new Activity("upload").SetParentId(TraceParent[..^2] + "00").Start();

        Assert.False(activity.Recorded);
        Assert.Null(TranscodeJob.Create("t1", "masters/t1/a.mp4", activity).TraceParent);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // an all-zero trace id is invalid
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    public void MalformedTraceParent_IsIgnored_TheJobStillReads(string traceParent)
    {
        var body = $$"""{"titleId":"t1","masterKey":"masters/t1/a.mp4","traceParent":"{{traceParent}}"}""";

        var read = TranscodeJob.FromMessage(body);

        Assert.NotNull(read);
        Assert.False(read.TryGetTraceContext(out _));
    }

    [Fact]
    public void OversizedTraceState_IsDropped_TheTraceStillContinues()
    {
        var read = new TranscodeJob("t1", "masters/t1/a.mp4", TraceParent, "k=" + new string('v', TranscodeJob.MaxTraceStateLength));

        Assert.True(read.TryGetTraceContext(out var context));
        Assert.Null(context.TraceState);
    }
}
