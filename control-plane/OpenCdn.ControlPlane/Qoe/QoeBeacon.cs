namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// <c>POST /api/v1/qoe</c>: what a player measured since its previous beacon. <see cref="StartupMs"/> (playback request →
/// first frame) comes once per session; <see cref="StallsMs"/> (one duration per stall that ended) and
/// <see cref="BitrateSwitches"/> are what happened since the previous beacon, so beacons add up. With peer-assisted
/// delivery, <see cref="PeerBytes"/> and <see cref="ServerBytes"/> (media bytes from other viewers and from the session's
/// servers) and <see cref="PeerFailures"/> (peer requests that went to a server instead) are counted the same way.
/// </summary>
public sealed record QoeBeacon(
    string? SessionId,
    string? TitleId,
    string? Server,
    double? StartupMs,
    IReadOnlyList<double>? StallsMs,
    int BitrateSwitches,
    double? ThroughputKbps,
    double? BitrateKbps,
    long? PeerBytes = null,
    long? ServerBytes = null,
    int? PeerFailures = null);
