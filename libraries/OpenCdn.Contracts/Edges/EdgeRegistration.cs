using OpenCdn.Contracts.Delivery;

namespace OpenCdn.Contracts.Edges;

/// <summary>Where an edge sits: inside an ISP (holds the popular set for that ISP's clients) or at an exchange (holds what fits).</summary>
public enum EdgeSiteKind
{
    Embedded,
    IX,
}

/// <summary>
/// <c>POST /api/v1/edges/register</c>, with <c>Authorization: Bearer {bootstrapToken}</c>. The appliance describes itself
/// from its configuration; the control plane answers with its id, its credential and the current signing keys.
/// </summary>
public sealed record RegisterEdgeRequest(
    string Name,
    Uri PublicUrl,
    EdgeSiteKind SiteKind,
    int? Asn,
    string? Isp,
    double? Latitude,
    double? Longitude,
    IReadOnlyList<string> ClientPrefixes,
    long DiskCapacityBytes,
    long EgressCapacityBitsPerSecond,
    FillWindow FillWindow,
    long FillRateBytesPerSecond);

public sealed record RegisterEdgeResponse(string EdgeId, string Credential, IReadOnlyList<SigningKey> SigningKeys);

/// <summary>The daily off-peak window, in the edge's local time zone (IANA id), e.g. 02:00–14:00 Europe/Paris.</summary>
public sealed record FillWindow(TimeOnly Start, TimeOnly End, string TimeZone)
{
    public static FillWindow Default { get; } = new(new TimeOnly(2, 0), new TimeOnly(14, 0), "UTC");
}
