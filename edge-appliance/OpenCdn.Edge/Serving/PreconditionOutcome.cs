namespace OpenCdn.Edge.Serving;

/// <summary>What the conditional headers of a GET/HEAD decide.</summary>
internal enum PreconditionOutcome
{
    Proceed,
    NotModified,
    PreconditionFailed,
}
