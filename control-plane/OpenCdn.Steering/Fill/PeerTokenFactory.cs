namespace OpenCdn.Steering.Fill;

/// <summary>
/// Makes the token one peer accepts for one title (a peer token signed with that peer's own key). Supplied by the
/// caller, which holds the keys; called when a plan is handed out.
/// </summary>
internal delegate string PeerTokenFactory(string peerEdgeId, string titleId);
