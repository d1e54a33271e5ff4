namespace OpenCdn.Steering.Fleet;

/// <summary>
/// Per IX site, the union of its edges' inventory bits: a site whose bit is clear for a title has no edge holding it,
/// so a decision for a rare title skips the site without judging its edges one by one. A set bit only says "maybe"
/// (the edges are still judged). Rebuilt with every snapshot, in one pass over the IX edges' bits.
/// </summary>
internal sealed class SiteHoldings
{
    private readonly ulong[][] _sites;

    private SiteHoldings(ulong[][] sites)
    {
        _sites = sites;
    }

    public static SiteHoldings Empty { get; } = new([]);

    public static SiteHoldings Build(IxMap ix, EdgeState[] edges)
    {
        ArgumentNullException.ThrowIfNull(ix);
        ArgumentNullException.ThrowIfNull(edges);
        var sites = new ulong[ix.Sites.Length][];
        for (var s = 0; s < sites.Length; s++)
        {
            var union = Array.Empty<ulong>();
            foreach (var edge in ix.Sites[s].Edges)
            {
                union = edges[edge].Inventory.OrInto(union);
            }
            sites[s] = union;
        }
        return new SiteHoldings(sites);
    }

    public bool MayHold(int site, int titleIndex)
    {
        var bits = _sites[site];
        return (uint)(titleIndex >> 6) < (uint)bits.Length && (bits[titleIndex >> 6] & (1UL << titleIndex)) != 0;
    }
}
