using OpenCdn.Contracts.Delivery;

namespace OpenCdn.Contracts.Edges;

/// <summary><c>POST /api/v1/edges/{id}/heartbeat</c>, every few seconds, with <c>Authorization: Bearer {credential}</c>.</summary>
public sealed record EdgeHeartbeat(
    EdgeHealth Health,
    int ActiveConnections,
    long EgressBitsPerSecond,
    long FreeDiskBytes,
    IReadOnlyList<InventoryItem> Inventory,
    FillProgress Fill);

public enum EdgeHealth
{
    Healthy,
    Degraded,
    Draining,
}

/// <summary>A complete, verified package the edge can serve. Steering trusts only what is listed here.</summary>
public sealed record InventoryItem(string TitleId, int Version);

public sealed record FillProgress(int PlanVersion, bool InWindow, int FilesDone, int FilesTotal, long BytesDone, long BytesTotal);

/// <summary>The answer to a heartbeat: the plan version to fetch if it changed, and the live signing keys.</summary>
public sealed record HeartbeatResponse(int FillPlanVersion, IReadOnlyList<SigningKey> SigningKeys, bool Drain);
