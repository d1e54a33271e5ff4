namespace OpenCdn.ControlPlane.Fleet;

/// <summary><c>OpenCdn:Fleet</c>: how the control plane judges its edges.</summary>
public sealed class FleetOptions
{
    public const string Section = "OpenCdn:Fleet";

    /// <summary>How often edges send heartbeats; an edge silent for three intervals is down.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
