namespace OpenCdn.Steering.Fleet;

/// <summary>An edge's state as steering sees it at one instant.</summary>
internal enum EdgeStatus
{
    Healthy,
    /// <summary>Over its load ceiling (or says so): ranks after every healthy edge.</summary>
    Degraded,
    /// <summary>An admin or the edge asked for no new sessions.</summary>
    Draining,
    /// <summary>No heartbeat for the configured number of intervals, or none yet.</summary>
    Down,
}
