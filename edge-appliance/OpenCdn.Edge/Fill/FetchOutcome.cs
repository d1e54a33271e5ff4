namespace OpenCdn.Edge.Fill;

/// <summary>How fetching one file from its sources, in plan order, ended.</summary>
internal enum FetchOutcome
{
    Verified,
    Failed,
    WindowClosed,
}
