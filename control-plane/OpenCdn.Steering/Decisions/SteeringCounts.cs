namespace OpenCdn.Steering.Decisions;

/// <summary>Decisions by outcome since start, for <c>GET /api/v1/stats/steering</c> and metrics.</summary>
internal sealed record SteeringCounts(long Hits, long ContentMisses, long HealthMisses, long Other, long UnknownTitles)
{
    /// <summary>Decisions that returned servers (unknown titles are not decisions).</summary>
    public long Decisions => Hits + ContentMisses + HealthMisses + Other;

    public double Share(long count) => Decisions == 0 ? 0 : (double)count / Decisions;
}
