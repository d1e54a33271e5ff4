namespace OpenCdn.ControlPlane.Playback;

/// <summary>
/// What a playback decision handed one viewer: the title's package, the servers in rank order, and until when. It
/// travels as the session id itself (see <see cref="SessionCodec"/>), so any control-plane instance can serve the
/// session's manifest and steering without a shared session store.
/// </summary>
internal sealed record PlaybackSession(string TitleId, int Version, DateTimeOffset ExpiresAt, IReadOnlyList<SessionServer> Servers)
{
    public IReadOnlyList<string> Pathways { get; } = [.. Servers.Select(s => s.Id)];
}

/// <summary>One server of a session: its pathway id (edge id or <c>origin</c>), DVB priority and weight.</summary>
internal readonly record struct SessionServer(string Id, int Priority, int Weight);
