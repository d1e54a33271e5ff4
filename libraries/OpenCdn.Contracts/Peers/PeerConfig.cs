using OpenCdn.Contracts.Packages;

namespace OpenCdn.Contracts.Peers;

/// <summary>
/// <c>GET /api/v1/peers/{sessionId}</c>: how a session's player takes part in peer-assisted delivery. The segment
/// hashes come from the control plane (a trusted party), never from a peer: <see cref="Segments"/> maps each
/// representation's file name to its media subsegments.
/// </summary>
public sealed record PeerConfig(
    Uri SignalUrl,
    int MaxPeers,
    long UploadBytesPerSecond,
    double MinUploadBufferSeconds,
    double PeerTimeoutSeconds,
    IReadOnlyList<string> IceServers,
    IReadOnlyDictionary<string, IReadOnlyList<SegmentHash>> Segments);
