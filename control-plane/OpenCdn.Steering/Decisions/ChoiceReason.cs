namespace OpenCdn.Steering.Decisions;

/// <summary>Why a server is in a decision's list.</summary>
internal enum ChoiceReason
{
    /// <summary>An embedded edge announcing a prefix that contains the client.</summary>
    EmbeddedPrefix,
    /// <summary>An IX edge, ranked by distance from the client.</summary>
    IxNearest,
    /// <summary>An edge over its load ceiling, after every healthy one.</summary>
    Degraded,
    /// <summary>The origin, always last.</summary>
    Origin,
}
