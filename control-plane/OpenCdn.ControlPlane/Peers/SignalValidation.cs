using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// What a viewer may send, rebuilt field by field so that only an SDP or an ICE candidate ever reaches another viewer.
/// A message that is anything else reads as null.
/// </summary>
internal static class SignalValidation
{
    public const int MaxSdpLength = 16 * 1024;
    public const int MaxCandidateLength = 1024;
    private const int MaxIdLength = 64;

    /// <summary>A <c>signal</c> to relay, stamped as coming from <paramref name="from"/>; null when it is not a valid one.</summary>
    public static PeerMessage? Signal(PeerMessage message, string from)
    {
        if (message.Peer is not { Length: > 0 and <= MaxIdLength } || (message.Sdp is null) == (message.Candidate is null))
        {
            return null;
        }
        if (message.Sdp is { } sdp)
        {
            return sdp.Type is "offer" or "answer" && sdp.Sdp is { Length: > 0 and <= MaxSdpLength }
                ? new PeerMessage(PeerMessage.Signal, from, Sdp: new SessionDescription(sdp.Type, sdp.Sdp))
                : null;
        }
        var c = message.Candidate!;
        var valid = c.Candidate is { Length: <= MaxCandidateLength }
            && c.SdpMid is null or { Length: <= MaxIdLength }
            && c.SdpMLineIndex is null or (>= 0 and <= 64)
            && c.UsernameFragment is null or { Length: <= 256 };
        return valid
            ? new PeerMessage(PeerMessage.Signal, from, Candidate: new IceCandidate(c.Candidate, c.SdpMid, c.SdpMLineIndex, c.UsernameFragment))
            : null;
    }

    /// <summary>A <c>report</c>'s peer id, when the message is a well-formed report.</summary>
    public static string? ReportedPeer(PeerMessage message) =>
        message.Peer is { Length: > 0 and <= MaxIdLength } peer && message.Reason is { Length: <= 64 } ? peer : null;
}
