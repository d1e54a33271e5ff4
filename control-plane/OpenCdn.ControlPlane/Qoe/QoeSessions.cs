using OpenCdn.ControlPlane.Playback;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Who may post a beacon: the playing session, identified by the session id the playback API handed out (the id is
/// the capability, as for the session's MPD). The session must be genuine and unexpired, play the beacon's title, and
/// have been given the server the beacon names — which also keeps the per-server rows and metric labels to real servers.
/// </summary>
internal sealed class QoeSessions(SessionCodec sessions)
{
    public bool MayReport(QoeBeacon beacon) =>
        sessions.Decode(beacon.SessionId) is { } session
        && session.TitleId == beacon.TitleId
        && session.Pathways.Contains(beacon.Server, StringComparer.Ordinal);
}
