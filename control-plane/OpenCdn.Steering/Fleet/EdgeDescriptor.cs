using System.Globalization;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>What an edge said about itself at registration, with its client prefixes parsed.</summary>
internal sealed record EdgeDescriptor(
    string Id,
    string Name,
    Uri BaseUrl,
    EdgeSiteKind SiteKind,
    int? Asn,
    string? Isp,
    GeoPoint? Location,
    IReadOnlyList<IpPrefix> Prefixes,
    long DiskCapacityBytes,
    long EgressCapacityBitsPerSecond)
{
    /// <summary>
    /// The popularity region its clients belong to and the group it fills from: the ISP (or ASN) for an embedded edge,
    /// the exchange site (its location) for an IX edge, the edge itself when it says neither.
    /// </summary>
    public string Group { get; } = GroupOf(Id, SiteKind, Asn, Isp, Location);

    /// <summary>
    /// Turns a registration into a descriptor, or says what steering cannot use (a missing field, a prefix that is not
    /// valid CIDR).
    /// </summary>
    public static EdgeDescriptor? FromRequest(string id, RegisterEdgeRequest request, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is not { Name: not null, PublicUrl: not null, ClientPrefixes: not null })
        {
            error = "A registration needs a name, a public URL and a list of client prefixes.";
            return null;
        }
        var prefixes = new IpPrefix[request.ClientPrefixes.Count];
        for (var i = 0; i < prefixes.Length; i++)
        {
            var parse = IpPrefix.TryParse(request.ClientPrefixes[i], out prefixes[i]);
            if (parse != PrefixParseError.None)
            {
                error = IpPrefix.Describe(parse, request.ClientPrefixes[i]);
                return null;
            }
        }
        GeoPoint? location = null;
        if (request.Latitude is { } lat && request.Longitude is { } lon)
        {
            if (!GeoPoint.IsValid(lat, lon))
            {
                error = "Latitude must be in [-90, 90] and longitude in [-180, 180].";
                return null;
            }
            location = new GeoPoint(lat, lon);
        }
        error = null;
        return new EdgeDescriptor(id, request.Name, request.PublicUrl, request.SiteKind, request.Asn, request.Isp, location,
            prefixes, request.DiskCapacityBytes, request.EgressCapacityBitsPerSecond);
    }

    private static string GroupOf(string id, EdgeSiteKind kind, int? asn, string? isp, GeoPoint? location) =>
        kind == EdgeSiteKind.IX
            ? location is { } at ? FormattableString.Invariant($"ix@{at.Latitude:F2},{at.Longitude:F2}") : $"ix:{id}"
            : !string.IsNullOrEmpty(isp) ? $"isp:{isp}"
            : asn is { } number ? $"as{number.ToString(CultureInfo.InvariantCulture)}"
            : $"edge:{id}";
}
