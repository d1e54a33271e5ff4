using System.Diagnostics;
using OpenTelemetry.Trace;

namespace OpenCdn.Platform.Observability;

/// <summary>
/// The root sampler: an outgoing call (HTTP, database) made by no traced operation — a queue poll, a fleet sync every
/// second — is not a trace of its own; everything else is kept. Children follow their parent (parent-based sampling).
/// </summary>
internal sealed class BackgroundCallsDropped : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop : Keep;
}
