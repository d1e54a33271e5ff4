using System.Threading.Channels;
using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// One viewer on the signalling socket: a random id (never the session id, which is a credential), its swarm (null
/// when its network is unknown), the peers it was introduced to, and the messages waiting to be sent to it.
/// </summary>
internal sealed class PeerMember(string id, string? swarm)
{
    public const int OutboxCapacity = 64;

    public string Id { get; } = id;

    public string? Swarm { get; } = swarm;

    /// <summary>The peers this one was introduced to; read and written under the <see cref="Swarms"/> lock.</summary>
    public HashSet<string> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>Bounded: a viewer that does not read its socket loses its place rather than growing the server's memory.</summary>
    public Channel<PeerMessage> Outbox { get; } = Channel.CreateBounded<PeerMessage>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
}
