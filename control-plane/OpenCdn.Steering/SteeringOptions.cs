using OpenCdn.Steering.Decisions;

namespace OpenCdn.Steering;

/// <summary>
/// Knobs of steering and fill (bound from <c>OpenCdn:Steering</c> by the control plane). <see cref="Validate"/> says
/// what is wrong, for <c>ValidateOnStart</c>.
/// </summary>
internal sealed class SteeringOptions
{
    /// <summary>
    /// How often edges send heartbeats (the edge's own HeartbeatInterval); an edge silent for
    /// <see cref="MissedHeartbeats"/> of them is down.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>Egress / egress capacity above which an edge is degraded: it ranks last and takes no preferred sessions.</summary>
    public double LoadCeiling { get; set; } = 0.85;

    /// <summary>Edges per decision (origin comes on top).</summary>
    public int MaxEdges { get; set; } = 3;

    /// <summary>IX sites considered per client location, nearest first.</summary>
    public int NearestIxSites { get; set; } = 8;

    /// <summary>The origin as a last-resort server (the control plane's origin endpoint, or the bucket's public URL).</summary>
    public Uri OriginBaseUrl { get; set; } = new("http://127.0.0.1:5080/origin/");

    /// <summary>
    /// Where to assume a client is when neither its edge prefixes nor the geo table place it; none: IX sites in
    /// registration order.
    /// </summary>
    public double? DefaultLatitude { get; set; }

    public double? DefaultLongitude { get; set; }

    public TimeSpan DownAfter => HeartbeatInterval * MissedHeartbeats;

    public string? Validate() =>
        HeartbeatInterval <= TimeSpan.Zero ? "HeartbeatInterval must be positive."
        : MissedHeartbeats < 1 ? "MissedHeartbeats must be at least 1."
        : LoadCeiling is <= 0 or > 1 ? "LoadCeiling must be in (0, 1]."
        : MaxEdges is < 1 or > SteeringDecision.MaxServers - 1 ? $"MaxEdges must be 1–{SteeringDecision.MaxServers - 1}."
        : NearestIxSites < 1 ? "NearestIxSites must be at least 1."
        : DefaultLatitude.HasValue != DefaultLongitude.HasValue ? "Set both DefaultLatitude and DefaultLongitude, or neither."
        : null;
}
