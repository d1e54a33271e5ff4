namespace OpenCdn.ControlPlane.Playback;

/// <summary>
/// What a playback decision handed one viewer: the title's package, the servers in rank order, and until when. It
/// travels as the session id itself (see <see cref="SessionCodec"/>), so any control-plane instance can serve the
/// session's manifest and steering without a shared session store. <see cref="Nonce"/> makes each session's id its
/// own: two viewers steered alike in the same second still hold different ids (empty in ids minted before it existed).
/// </summary>
internal sealed record PlaybackSession(
    string TitleId, int Version, DateTimeOffset ExpiresAt, IReadOnlyList<SessionServer> Servers, string Nonce)
{
    public IReadOnlyList<string> Pathways { get; } = [.. Servers.Select(s => s.Id)];

    /// <summary>A fresh random nonce: 96 bits, base64url (16 characters).</summary>
    public static string NewNonce() => System.Buffers.Text.Base64Url.EncodeToString(
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}

/// <summary>One server of a session: its pathway id (edge id or <c>origin</c>), DVB priority and weight.</summary>
internal readonly record struct SessionServer(string Id, int Priority, int Weight);
