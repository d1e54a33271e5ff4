using System.Security.Cryptography;
using System.Text;
using OpenCdn.ControlPlane.Qoe;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// Media bytes from peers and from servers as QoE beacons report them, on this instance since it started: in total and
/// per session (at most <see cref="MaxSessions"/>, named by a short hash since a session id is a credential).
/// </summary>
internal sealed class PeerTotals
{
    public const int MaxSessions = 500;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SessionBytes> _sessions = new(StringComparer.Ordinal);
    private long _peerBytes;
    private long _serverBytes;
    private long _failures;

    public void Add(QoeBeacon beacon)
    {
        var peer = beacon.PeerBytes ?? 0;
        var server = beacon.ServerBytes ?? 0;
        var failures = beacon.PeerFailures ?? 0;
        if (peer == 0 && server == 0 && failures == 0)
        {
            return;
        }
        PeerMetrics.Beacon(peer, server, failures);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(beacon.SessionId!)).AsSpan(0, 6));
        lock (_lock)
        {
            _peerBytes += peer;
            _serverBytes += server;
            _failures += failures;
            if (_sessions.TryGetValue(name, out var row) || _sessions.Count < MaxSessions)
            {
                row ??= new SessionBytes(name, beacon.TitleId!, 0, 0, 0);
                _sessions[name] = row with
                {
                    PeerBytes = row.PeerBytes + peer,
                    ServerBytes = row.ServerBytes + server,
                    PeerFailures = row.PeerFailures + failures,
                };
            }
        }
    }

    public PeerStatsView View(int connected)
    {
        lock (_lock)
        {
            return new PeerStatsView(_peerBytes, _serverBytes, Share(_peerBytes, _serverBytes), _failures, connected,
                [.. _sessions.Values.OrderByDescending(s => s.PeerBytes + s.ServerBytes).Take(50)]);
        }
    }

    public static double Share(long peer, long server) => peer + server == 0 ? 0 : Math.Round((double)peer / (peer + server), 4);
}

/// <summary>One session's media bytes by source; <see cref="Session"/> is a hash of its id, not the id.</summary>
public sealed record SessionBytes(string Session, string TitleId, long PeerBytes, long ServerBytes, long PeerFailures)
{
    public double PeerShare => PeerTotals.Share(PeerBytes, ServerBytes);
}

/// <summary><c>GET /api/v1/stats/peers</c>: this instance's peer-assisted delivery since it started.</summary>
public sealed record PeerStatsView(
    long PeerBytes, long ServerBytes, double PeerShare, long PeerFailures, int ViewersConnected, IReadOnlyList<SessionBytes> Sessions);
