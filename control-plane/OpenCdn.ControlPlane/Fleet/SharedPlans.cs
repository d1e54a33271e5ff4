using OpenCdn.Catalog.FillPlans;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The fill plans in the catalog database, as every instance hands them out: the planner's changes are written there,
/// and each sync pass reads what changed into the <see cref="FillPlanner"/>'s book, from which heartbeats and fill-plan
/// requests are answered without a query. A stored cut names packages; they are taken from this instance's catalog, and
/// a cut naming a package the catalog does not have yet waits for the pass that brings it.
/// </summary>
internal sealed partial class SharedPlans(FillPlanner planner, FillPlanStore store, ILogger<SharedPlans> logger)
{
    /// <summary>Reads what changed since the book's revision into the book.</summary>
    public async Task ReadAsync(CatalogIndex catalog, CancellationToken cancellationToken)
    {
        var book = planner.Book;
        var changes = await store.ReadChangedSinceAsync(book.Revision, cancellationToken);
        if (changes.Cuts.Count == 0 && changes.Edges.Count == 0)
        {
            return;
        }
        var cuts = new List<FillCut>(changes.Cuts.Count);
        foreach (var stored in changes.Cuts)
        {
            if (Resolve(stored, catalog) is not { } cut)
            {
                Log.CutWaits(logger, stored.Key, stored.Version);
                return; // the whole change waits, so an edge never sees a version without all of its titles
            }
            cuts.Add(cut);
        }
        planner.Install(book.With(cuts, changes.Edges.Select(e => new KeyValuePair<string, string?>(e.EdgeId, e.CutKey)), changes.Revision));
    }

    /// <summary>Stores a change this instance planned; installs it when stored, false when another instance plans now.</summary>
    public async Task<PlanWriteOutcome> WriteAsync(FillPlanChange change, PlanLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var outcome = await store.WriteAsync(
            lease,
            planner.Book.Revision,
            [.. change.Cuts.Select(c =>
                new StoredCut(c.Key, c.Version, c.GeneratedAt, [.. c.Titles.Select(t => new PlannedPackage(t.TitleId, t.Version))]))],
            [.. change.Edges.Select(e => new StoredEdgeCut(e.Key, e.Value))],
            change.Revision,
            cancellationToken);
        if (outcome == PlanWriteOutcome.Written)
        {
            planner.Install(change.Book);
        }
        else
        {
            planner.Abandon(change);
        }
        return outcome;
    }

    private static FillCut? Resolve(StoredCut stored, CatalogIndex catalog)
    {
        var titles = new CatalogTitle[stored.Packages.Count];
        for (var i = 0; i < titles.Length; i++)
        {
            var package = stored.Packages[i];
            if (!catalog.Indices.TryGetValue(package.TitleId, out var index) || index >= catalog.ByIndex.Length
                || catalog.ByIndex[index] is not { } title || title.Version != package.Version)
            {
                return null;
            }
            titles[i] = title;
        }
        return new FillCut(stored.Key, stored.Version, stored.GeneratedAt, titles);
    }

    private static partial class Log
    {
        [LoggerMessage(222, LogLevel.Debug, "Stored fill cut {CutKey} v{Version} names a package this instance's catalog lacks yet; next pass")]
        public static partial void CutWaits(ILogger logger, string cutKey, int version);
    }
}
