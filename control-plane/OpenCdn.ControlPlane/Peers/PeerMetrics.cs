using Prometheus;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>What <c>/metrics</c> shows of peer-assisted delivery on this instance.</summary>
internal static class PeerMetrics
{
    private static readonly Gauge Connected = Metrics.CreateGauge("opencdn_peer_signalling_connections",
        "Viewers connected to this instance's peer signalling socket.");
    private static readonly Counter Introductions = Metrics.CreateCounter("opencdn_peer_introductions_total",
        "Pairs of viewers introduced to each other (same title, version and client network).");
    private static readonly Counter BadSegments = Metrics.CreateCounter("opencdn_peer_bad_segments_total",
        "Segments a viewer received from a peer that failed their hash; the peer was dropped.");
    private static readonly Counter MediaBytes = Metrics.CreateCounter("opencdn_peer_media_bytes_total",
        "Media bytes players loaded, by source: peer (other viewers) or server (edges and origin), from QoE beacons.", "source");
    private static readonly Counter Failures = Metrics.CreateCounter("opencdn_peer_failures_total",
        "Peer segment requests that failed or came too late and went to a server instead, from QoE beacons.");

    public static void Joined() => Connected.Inc();

    public static void Left() => Connected.Dec();

    public static void Introduced(int pairs) => Introductions.Inc(pairs);

    public static void BadSegment() => BadSegments.Inc();

    public static void Beacon(long peerBytes, long serverBytes, int failures)
    {
        MediaBytes.WithLabels("peer").Inc(peerBytes);
        MediaBytes.WithLabels("server").Inc(serverBytes);
        Failures.Inc(failures);
    }
}
