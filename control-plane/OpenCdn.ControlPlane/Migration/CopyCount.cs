namespace OpenCdn.ControlPlane.Migration;

/// <summary>How many items a step copied, and how many the target held already (a rerun copies nothing twice).</summary>
internal sealed record CopyCount(long Copied, long AlreadyThere, long CopiedBytes = 0, long AlreadyThereBytes = 0);
