namespace OpenCdn.Contracts.Edges;

/// <summary>
/// <c>GET /api/v1/edges/{id}/fill-plan</c>: what the edge must hold, most valuable first. Anything the edge holds that is
/// not listed leaves it, after an inventory without it has been reported.
/// </summary>
public sealed record FillPlan(int Version, DateTimeOffset GeneratedAt, IReadOnlyList<FillItem> Items);

public sealed record FillItem(string TitleId, int Version, IReadOnlyList<FillFile> Files, IReadOnlyList<FillSource> Sources);

public sealed record FillFile(string Name, long Size, string Sha256);

public enum FillSourceKind
{
    Peer,
    Origin,
}

/// <summary>
/// Where to fetch an item's files, tried in list order (peers first). A peer serves
/// <c>{BaseUrl}/peer/{titleId}/v{version}/{file}</c> to the <see cref="Token"/> the plan carries for it (a
/// <see cref="Delivery.PeerToken"/> that only that peer accepts, for that title); the origin gives one time-limited URL
/// per file in <see cref="FileUrls"/>. A source with <see cref="NotBefore"/> in the future is skipped until then: origin
/// carries one when another edge of the group (listed before it as a peer) seeds the title, so the group fetches one
/// copy over transit and the others take theirs from that peer.
/// </summary>
public sealed record FillSource(
    FillSourceKind Kind, string Name, Uri? BaseUrl, IReadOnlyDictionary<string, Uri>? FileUrls, string? Token = null,
    DateTimeOffset? NotBefore = null);
