namespace OpenCdn.ControlPlane.Qoe;

/// <summary>
/// Who may post a beacon: the playing session, identified by the session id the playback API handed out (the id is the
/// capability, as for the session's MPD). Until that API lands in this branch only the id's shape is checked (in
/// <see cref="QoeRules"/>); this is the seam where the playback session store will be asked whether the session
/// exists, is unexpired, plays <see cref="QoeBeacon.TitleId"/> and was given <see cref="QoeBeacon.Server"/>.
/// </summary>
internal static class QoeSessions
{
    public static bool MayReport(QoeBeacon beacon) => QoeRules.IsId(beacon.SessionId);
}
