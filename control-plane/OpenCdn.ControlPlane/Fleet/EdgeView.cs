using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.ControlPlane.Fleet;

public enum EdgeState
{
    Healthy,
    Degraded,
    Draining,
    Down,
    Revoked,
}

/// <summary>
/// An edge as the admin API shows it: its declaration, its state, whether an admin drained it (<see cref="Drained"/>,
/// whatever its state), its latest heartbeat, and why steering leaves it out (<see cref="Problem"/>; such an edge is down).
/// </summary>
public sealed record EdgeView(
    string Id,
    string Name,
    Uri? PublicUrl,
    EdgeSiteKind? SiteKind,
    EdgeState State,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastHeartbeat,
    RegisterEdgeRequest? Registration,
    EdgeHeartbeat? Heartbeat,
    string? Problem,
    bool Drained)
{
    public static EdgeView Of(EdgeRecord edge, DateTimeOffset now, TimeSpan downAfter, string? problem)
    {
        problem ??= edge.Unreadable;
        var state = problem is null || edge.RevokedAt is not null ? StateOf(edge, now, downAfter) : EdgeState.Down;
        return new EdgeView(edge.Id, edge.Registration?.Name ?? edge.Id, edge.Registration?.PublicUrl, edge.Registration?.SiteKind, state,
            edge.RegisteredAt, edge.LastHeartbeat, edge.Registration, edge.Heartbeat, problem, edge.Draining);
    }

    /// <summary>
    /// Revoked when an admin revoked it; down when silent for longer than <paramref name="downAfter"/>; then draining (by
    /// an admin or the edge itself), degraded, healthy.
    /// </summary>
    public static EdgeState StateOf(EdgeRecord edge, DateTimeOffset now, TimeSpan downAfter) =>
        edge.RevokedAt is not null ? EdgeState.Revoked
        : edge.LastHeartbeat is not { } last || now - last > downAfter ? EdgeState.Down
        : edge.Draining || edge.Heartbeat?.Health == EdgeHealth.Draining ? EdgeState.Draining
        : edge.Heartbeat?.Health == EdgeHealth.Degraded ? EdgeState.Degraded
        : EdgeState.Healthy;
}
