namespace OpenCdn.ControlPlane.Qoe;

/// <summary><c>GET /api/v1/stats/qoe</c>: totals, per server (edge id or <c>origin</c>) and per title.</summary>
public sealed record QoeReport(
    IReadOnlyList<double> BucketBoundsMs,
    QoeStatsView Total,
    IReadOnlyDictionary<string, QoeStatsView> ByServer,
    IReadOnlyDictionary<string, QoeStatsView> ByTitle);
