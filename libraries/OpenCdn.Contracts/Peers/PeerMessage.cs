namespace OpenCdn.Contracts.Peers;

/// <summary>
/// One message on the peer signalling WebSocket (<c>/api/v1/peers/{sessionId}/signal</c>), JSON text, camelCase (see
/// <see cref="PeerJson"/>). From the server: <c>welcome</c> (<see cref="Peer"/> is the viewer's own id, <see cref="Peers"/>
/// the ones to offer a connection to), <c>signal</c> (from <see cref="Peer"/>), <c>left</c> (<see cref="Peer"/> went away).
/// From a viewer: <c>signal</c> (to <see cref="Peer"/>: an <see cref="Sdp"/> or a <see cref="Candidate"/>, nothing else is
/// relayed) and <c>report</c> (<see cref="Peer"/> sent bytes that failed their hash; <see cref="Reason"/>).
/// </summary>
public sealed record PeerMessage(
    string Type,
    string? Peer = null,
    IReadOnlyList<string>? Peers = null,
    SessionDescription? Sdp = null,
    IceCandidate? Candidate = null,
    string? Reason = null)
{
    public const string Welcome = "welcome";
    public const string Signal = "signal";
    public const string Left = "left";
    public const string Report = "report";

    /// <summary>
    /// The WebSocket close status the server sends when a newer signalling connection of the same playback session took
    /// this one's place (one live connection per session); the player should not reconnect.
    /// </summary>
    public const int ReplacedCloseStatus = 4001;
}

/// <summary>A WebRTC session description (RTCSessionDescriptionInit): <c>offer</c> or <c>answer</c> and its SDP text.</summary>
public sealed record SessionDescription(string Type, string Sdp);

/// <summary>A WebRTC ICE candidate (RTCIceCandidateInit).</summary>
public sealed record IceCandidate(string Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment);
