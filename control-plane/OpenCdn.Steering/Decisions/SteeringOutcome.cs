namespace OpenCdn.Steering.Decisions;

/// <summary>How a decision went, judged by its preferred edge (the first edge the topology points at).</summary>
internal enum SteeringOutcome
{
    /// <summary>The preferred edge serves the session.</summary>
    Hit,
    /// <summary>The preferred edge lacked the title's current package.</summary>
    ContentMiss,
    /// <summary>The preferred edge was down, draining or over its load ceiling.</summary>
    HealthMiss,
    /// <summary>No edge covers the client at all (no prefix, no IX site): origin only.</summary>
    Other,
    /// <summary>The title is not in the catalog, or not ready: no servers (a 404 for the caller).</summary>
    UnknownTitle,
}
