using System.Net;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>What a registration must hold; every problem is reported by field, as a ValidationProblem.</summary>
internal static class RegistrationRules
{
    private const int MaxPrefixes = 10_000;

    public static Dictionary<string, string[]> Check(RegisterEdgeRequest? r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r is null)
        {
            errors["body"] = ["A registration body is required."];
            return errors;
        }
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > 100 || r.Name.Any(char.IsControl))
        {
            errors["name"] = ["A name of 1 to 100 printable characters is required."];
        }
        if (r.PublicUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Query.Length > 0)
        {
            errors["publicUrl"] = ["An absolute http(s) URL without a query is required."];
        }
        var prefixes = r.ClientPrefixes ?? [];
        if (prefixes.Count > MaxPrefixes || prefixes.Any(p => !IPNetwork.TryParse(p, out _)))
        {
            errors["clientPrefixes"] = [$"At most {MaxPrefixes} CIDR prefixes such as 203.0.113.0/24 or 2001:db8::/32."];
        }
        if (r.Latitude is < -90 or > 90 || r.Longitude is < -180 or > 180 || (r.Latitude is null) != (r.Longitude is null))
        {
            errors["location"] = ["Latitude (-90..90) and longitude (-180..180) go together."];
        }
        if (r.DiskCapacityBytes <= 0 || r.EgressCapacityBitsPerSecond <= 0 || r.FillRateBytesPerSecond < 0)
        {
            errors["capacity"] = ["Disk and egress capacity must be positive, and the fill rate positive or 0 (uncapped)."];
        }
        if (r.FillWindow is null || !TimeZoneInfo.TryFindSystemTimeZoneById(r.FillWindow.TimeZone ?? "", out _))
        {
            errors["fillWindow"] = ["A fill window needs start and end times (equal: all day) and a known IANA time zone."];
        }
        return errors;
    }
}
