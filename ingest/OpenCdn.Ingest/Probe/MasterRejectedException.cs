using OpenCdn.Ingest.Jobs;

namespace OpenCdn.Ingest.Probe;

/// <summary>
/// The master cannot become a package, whatever a retry does. <see cref="Kind"/> is what people are told;
/// <see cref="Exception.Message"/> is the detail for the log.
/// </summary>
internal sealed class MasterRejectedException(FailureKind kind, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public FailureKind Kind { get; } = kind;
}
