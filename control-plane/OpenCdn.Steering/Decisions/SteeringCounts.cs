namespace OpenCdn.Steering.Decisions;

/// <summary>
/// Decisions by outcome: this instance's since start (metrics), what it counted since it last flushed them, or the whole
/// fleet's (<c>GET /api/v1/stats/steering</c>).
/// </summary>
internal sealed record SteeringCounts(long Hits, long ContentMisses, long HealthMisses, long Other, long UnknownTitles)
{
    public static readonly SteeringCounts Zero = new(0, 0, 0, 0, 0);

    /// <summary>Decisions that returned servers (unknown titles are not decisions).</summary>
    public long Decisions => Hits + ContentMisses + HealthMisses + Other;

    public double Share(long count) => Decisions == 0 ? 0 : (double)count / Decisions;

    public SteeringCounts Plus(SteeringCounts other) => new(Hits + other.Hits, ContentMisses + other.ContentMisses,
        HealthMisses + other.HealthMisses, Other + other.Other, UnknownTitles + other.UnknownTitles);

    public SteeringCounts Minus(SteeringCounts other) => new(Hits - other.Hits, ContentMisses - other.ContentMisses,
        HealthMisses - other.HealthMisses, Other - other.Other, UnknownTitles - other.UnknownTitles);
}
