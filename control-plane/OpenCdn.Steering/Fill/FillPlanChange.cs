namespace OpenCdn.Steering.Fill;

/// <summary>
/// What one planning run changed: the cuts with new versions, the edges that moved to another cut (a null cut: the edge
/// left the fleet), the revision they reach, and the book they make. Empty when nothing changed.
/// </summary>
internal sealed record FillPlanChange(
    FillBook Book, IReadOnlyList<FillCut> Cuts, IReadOnlyList<KeyValuePair<string, string?>> Edges, int Revision, bool Reissued)
{
    public bool IsEmpty => Cuts.Count == 0 && Edges.Count == 0;
}
