namespace OpenCdn.Edge.Fill;

/// <summary>How one download from one source ended.</summary>
internal enum TransferOutcome
{
    Complete,
    SourceFailed,
    WindowClosed,
}
