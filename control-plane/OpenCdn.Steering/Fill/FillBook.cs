using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// The fill plans at one revision, immutable: every cut, which cut each edge has, and the per-edge assignments the
/// heartbeat and fill-plan handlers read. A change makes a new book; an assignment whose cut did not change is kept.
/// </summary>
internal sealed class FillBook
{
    private FillBook(
        Dictionary<string, FillCut> cuts, Dictionary<string, string> edgeCuts, Dictionary<string, EdgeAssignment> assignments,
        int revision)
    {
        Cuts = cuts;
        EdgeCuts = edgeCuts;
        Assignments = assignments;
        Revision = revision;
    }

    public static FillBook Empty { get; } = new([], [], [], 0);

    /// <summary>Every cut known, also ones no edge has any more.</summary>
    public IReadOnlyDictionary<string, FillCut> Cuts { get; }

    public IReadOnlyDictionary<string, string> EdgeCuts { get; }

    public IReadOnlyDictionary<string, EdgeAssignment> Assignments { get; }

    /// <summary>The highest version or revision this book contains: the next change numbers from there.</summary>
    public int Revision { get; }

    /// <summary>This book with <paramref name="cuts"/> replaced and <paramref name="edges"/> moved (a null cut removes).</summary>
    public FillBook With(IEnumerable<FillCut> cuts, IEnumerable<KeyValuePair<string, string?>> edges, int revision)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentNullException.ThrowIfNull(edges);
        var nextCuts = new Dictionary<string, FillCut>(Cuts.Count, StringComparer.Ordinal);
        foreach (var (key, cut) in Cuts)
        {
            nextCuts[key] = cut;
        }
        foreach (var cut in cuts)
        {
            nextCuts[cut.Key] = cut;
        }
        var nextEdges = new Dictionary<string, string>(EdgeCuts.Count, StringComparer.Ordinal);
        foreach (var (edge, key) in EdgeCuts)
        {
            nextEdges[edge] = key;
        }
        foreach (var (edge, key) in edges)
        {
            if (key is null)
            {
                nextEdges.Remove(edge);
            }
            else
            {
                nextEdges[edge] = key;
            }
        }
        var assignments = new Dictionary<string, EdgeAssignment>(nextEdges.Count, StringComparer.Ordinal);
        foreach (var (edge, key) in nextEdges)
        {
            if (!nextCuts.TryGetValue(key, out var cut))
            {
                continue; // never written without its cut; a reader that sees it first waits for the cut
            }
            assignments[edge] = Assignments.TryGetValue(edge, out var last) && last.Version == cut.Version && ReferenceEquals(last.Titles, cut.Titles)
                ? last
                : new EdgeAssignment(edge, cut.Version, cut.GeneratedAt, cut.Titles);
        }
        return new FillBook(nextCuts, nextEdges, assignments, Math.Max(Revision, revision));
    }

    /// <summary>Whether the edge's assignment lists the package.</summary>
    public bool Lists(string edgeId, CatalogTitle title) => Assignments.TryGetValue(edgeId, out var assignment) && assignment.Lists(title);

    /// <summary>Whether the cut of any edge lists the title.</summary>
    public bool AnyPlanHolds(string titleId) =>
        EdgeCuts.Values.Distinct(StringComparer.Ordinal).Any(key => Cuts.TryGetValue(key, out var cut) && cut.Titles.Any(t => t.TitleId == titleId));
}
