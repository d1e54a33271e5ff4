namespace OpenCdn.Steering.Fleet;

/// <summary>The IX edges at one exchange (one location); they share a rank, weighted by headroom.</summary>
internal sealed record IxSite(int Location, int[] Edges);
