namespace OpenCdn.Edge.ControlPlane;

/// <summary>How a call to the control plane went; an unreachable control plane is an expected outcome, not an exception.</summary>
internal enum CallStatus
{
    Ok,
    Unauthorized,
    Failed,
}
