using OpenCdn.Contracts.Edges;

namespace OpenCdn.Catalog.Edges;

/// <summary>
/// An enrolled edge: what it declared at registration, the latest heartbeat it sent, and when it was revoked. A stored
/// registration or heartbeat that cannot be read is null, and <see cref="Unreadable"/> says why: one bad row never
/// stops a read of the fleet.
/// </summary>
public sealed record EdgeRecord(
    string Id,
    RegisterEdgeRequest? Registration,
    bool Draining,
    EdgeHeartbeat? Heartbeat,
    DateTimeOffset? LastHeartbeat,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? RevokedAt = null,
    string? Unreadable = null);
