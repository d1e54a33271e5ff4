using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// What an edge may tell the control plane, field by field: an edge is a partly trusted host, so a registration or a
/// heartbeat is checked whole before anything of it is stored or steered by, and a row read back from the catalog is
/// checked by the same rules. Problems are keyed by the field's JSON path (<c>inventory[3].titleId</c>).
/// </summary>
internal static class EdgeInputRules
{
    public const int MaxNameLength = 100;
    public const int MaxIspLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxTimeZoneLength = 64;
    public const int MaxPrefixes = 10_000;
    public const int MaxPrefixLength = 50; // an IPv6 address written out in full, and "/128"

    /// <summary>A catalog of this many titles is ten times the largest fleet benchmarked.</summary>
    public const int MaxInventoryItems = 1_000_000;

    /// <summary>A hostile message could carry a million bad items; the answer names the first few.</summary>
    public const int MaxReportedProblems = 20;

    public static Dictionary<string, string[]> Check(RegisterEdgeRequest? r)
    {
        var problems = new Problems();
        if (r is null)
        {
            return problems.Add("body", "A registration body is required.").Found;
        }
        problems.Unless(IsText(r.Name, MaxNameLength), "name", $"A name of 1 to {MaxNameLength} printable characters is required.");
        problems.Unless(r.PublicUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && url.Query.Length == 0 && url.Fragment.Length == 0 && url.OriginalString.Length <= MaxUrlLength,
            "publicUrl", $"An absolute http(s) URL of at most {MaxUrlLength} characters, without query or fragment, is required.");
        problems.Unless(Enum.IsDefined(r.SiteKind), "siteKind", "The site kind is embedded or ix.");
        problems.Unless(r.Asn is null or > 0, "asn", "An AS number is positive.");
        problems.Unless(r.Isp is null || IsText(r.Isp, MaxIspLength), "isp", $"An ISP name has 1 to {MaxIspLength} printable characters.");
        problems.Unless((r.Latitude is null) == (r.Longitude is null), "location", "Latitude and longitude go together.");
        problems.Unless(r.Latitude is null or (>= -90 and <= 90), "latitude", "Latitude is in [-90, 90].");
        problems.Unless(r.Longitude is null or (>= -180 and <= 180), "longitude", "Longitude is in [-180, 180].");
        if (r.ClientPrefixes is not { Count: <= MaxPrefixes } prefixes)
        {
            problems.Add("clientPrefixes", $"A list (maybe empty) of at most {MaxPrefixes} CIDR prefixes is required.");
        }
        else
        {
            for (var i = 0; i < prefixes.Count && !problems.Full; i++)
            {
                problems.Unless(prefixes[i] is { Length: <= MaxPrefixLength } text && IpPrefix.TryParse(text, out _) == PrefixParseError.None,
                    $"clientPrefixes[{i}]", "A CIDR prefix such as 203.0.113.0/24 or 2001:db8::/32.");
            }
        }
        problems.Unless(r.DiskCapacityBytes > 0, "diskCapacityBytes", "Disk capacity is positive.");
        problems.Unless(r.EgressCapacityBitsPerSecond > 0, "egressCapacityBitsPerSecond", "Egress capacity is positive.");
        problems.Unless(r.FillRateBytesPerSecond >= 0, "fillRateBytesPerSecond", "The fill rate is positive, or 0 (uncapped).");
        problems.Unless(r.FillWindow is { TimeZone: { Length: <= MaxTimeZoneLength } zone } && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _),
            "fillWindow", "A fill window needs start and end times (equal: all day) and a known IANA time zone.");
        return problems.Found;
    }

    public static Dictionary<string, string[]> Check(EdgeHeartbeat? h)
    {
        var problems = new Problems();
        if (h is null)
        {
            return problems.Add("body", "A heartbeat body is required.").Found;
        }
        problems.Unless(Enum.IsDefined(h.Health), "health", "Health is healthy, degraded or draining.");
        problems.Unless(h.ActiveConnections >= 0, "activeConnections", "A count is 0 or more.");
        problems.Unless(h.EgressBitsPerSecond >= 0, "egressBitsPerSecond", "A rate is 0 or more.");
        problems.Unless(h.FreeDiskBytes >= 0, "freeDiskBytes", "A size is 0 or more.");
        if (h.Fill is not { } fill)
        {
            problems.Add("fill", "Fill progress is required.");
        }
        else
        {
            problems.Unless(fill.PlanVersion >= 0, "fill.planVersion", "A plan version is 0 or more.");
            problems.Unless(fill.FilesDone >= 0 && fill.FilesTotal >= 0, "fill.files", "File counts are 0 or more.");
            problems.Unless(fill.BytesDone >= 0 && fill.BytesTotal >= 0, "fill.bytes", "Byte counts are 0 or more.");
        }
        if (h.Inventory is not { Count: <= MaxInventoryItems } inventory)
        {
            problems.Add("inventory", $"A list (maybe empty) of at most {MaxInventoryItems} packages is required.");
            return problems.Found;
        }
        for (var i = 0; i < inventory.Count && !problems.Full; i++)
        {
            if (inventory[i] is not { } item)
            {
                problems.Add($"inventory[{i}]", "An item is {titleId, version}.");
                continue;
            }
            problems.Unless(PackageNames.IsTitleId(item.TitleId), $"inventory[{i}].titleId", "A title id is 1 to 64 letters, digits, '_' or '-'.");
            problems.Unless(PackageNames.IsVersion(item.Version), $"inventory[{i}].version", $"A version is 1 to {PackageNames.MaxVersion}.");
        }
        return problems.Found;
    }

    /// <summary>What is wrong with a stored registration, in one line for a log and the fleet view; null when nothing is.</summary>
    public static string? Problem(RegisterEdgeRequest? registration) => Describe("registration", Check(registration));

    /// <summary>What is wrong with a stored heartbeat, in one line; null when nothing is.</summary>
    public static string? Problem(EdgeHeartbeat? heartbeat) => Describe("heartbeat", Check(heartbeat));

    private static string? Describe(string what, Dictionary<string, string[]> problems) => problems.Count == 0
        ? null
        : $"{what}: " + string.Join("; ", problems.Select(p => $"{p.Key}: {string.Join(' ', p.Value)}"));

    private static bool IsText(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength && !value.Any(char.IsControl);

    private sealed class Problems
    {
        public Dictionary<string, string[]> Found { get; } = new(StringComparer.Ordinal);

        public bool Full => Found.Count >= MaxReportedProblems;

        public Problems Add(string field, string message)
        {
            if (!Full)
            {
                Found[field] = [message];
            }
            return this;
        }

        public void Unless(bool valid, string field, string message)
        {
            if (!valid)
            {
                Add(field, message);
            }
        }
    }
}
