using System.Threading.Channels;
using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// One viewer on the signalling socket: a random id (never the session id, which is a credential), its playback session
/// (one live member per session), its swarm (null when its network is unknown), the peers it was introduced to, and the
/// messages waiting to be sent to it.
/// </summary>
internal sealed class PeerMember(string id, string session, string? swarm)
{
    public const int OutboxCapacity = 64;

    public string Id { get; } = id;

    /// <summary>The playback session id; kept in memory only, never logged or sent.</summary>
    public string Session { get; } = session;

    public string? Swarm { get; } = swarm;

    /// <summary>Set (under the <see cref="Swarms"/> lock) when a newer connection of the same session took this one's place.</summary>
    public bool Replaced { get; set; }

    /// <summary>The peers this one was introduced to; read and written under the <see cref="Swarms"/> lock.</summary>
    public HashSet<string> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>Bounded: a viewer that does not read its socket loses its place rather than growing the server's memory.</summary>
    public Channel<PeerMessage> Outbox { get; } = Channel.CreateBounded<PeerMessage>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
}
