namespace OpenCdn.Steering.Decisions;

/// <summary>
/// How a decision went, judged by its preferred rank (the first group of edges the topology points at: the client's
/// longest matching prefix, else its nearest IX site) and, in it, the first edge of the client's walk that holds the title.
/// </summary>
internal enum SteeringOutcome
{
    /// <summary>An edge of the preferred rank holds the title and is healthy: it serves the session.</summary>
    Hit,
    /// <summary>No edge of the preferred rank held the title's current package.</summary>
    ContentMiss,
    /// <summary>The preferred rank's first edge holding the title was down, draining or over its load ceiling.</summary>
    HealthMiss,
    /// <summary>No edge covers the client at all (no prefix, no IX site): origin only.</summary>
    Other,
    /// <summary>The title is not in the catalog, or not ready: no servers (a 404 for the caller).</summary>
    UnknownTitle,
}
