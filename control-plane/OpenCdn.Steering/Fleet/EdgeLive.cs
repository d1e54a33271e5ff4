using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>What the last heartbeat said, and when it came.</summary>
internal sealed record EdgeLive(
    DateTimeOffset ReceivedAt,
    EdgeHealth ReportedHealth,
    int ActiveConnections,
    long EgressBitsPerSecond,
    long FreeDiskBytes,
    FillProgress Fill);
