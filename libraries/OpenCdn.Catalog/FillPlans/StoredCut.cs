namespace OpenCdn.Catalog.FillPlans;

/// <summary>
/// One cut of the fill plans: the packages, most valuable first, that every edge of one kind, group and disk budget
/// holds, under a version those edges share.
/// </summary>
public sealed record StoredCut(string Key, int Version, DateTimeOffset GeneratedAt, IReadOnlyList<PlannedPackage> Packages);

/// <summary>A title's package version in a cut.</summary>
public readonly record struct PlannedPackage(string TitleId, int Version);

/// <summary>Which cut an edge's plan is; a null cut takes the edge out of the plans.</summary>
public readonly record struct StoredEdgeCut(string EdgeId, string? CutKey);

/// <summary>What changed in the stored plans after a revision, and the revision it brings a reader to.</summary>
public sealed record StoredPlanChanges(IReadOnlyList<StoredCut> Cuts, IReadOnlyList<StoredEdgeCut> Edges, int Revision);

/// <summary>How a write of plans ended.</summary>
public enum PlanWriteOutcome
{
    Written,

    /// <summary>The writer no longer holds the planning lease: another instance plans now.</summary>
    LeaseLost,

    /// <summary>The stored plans moved past the revision the writer planned from: read them first.</summary>
    Stale,
}
