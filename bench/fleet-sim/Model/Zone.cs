using OpenCdn.Steering.Fleet;

namespace OpenCdn.FleetSim.Model;

/// <summary>A time zone of the fleet: its city (ISPs and one exchange sit there), taste region and share of viewers.</summary>
internal sealed record Zone(int Index, string TimeZoneId, GeoPoint City, int Region, double ViewerShare)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>Eight whole-hour zones on four continents (no daylight-saving change in June and July).</summary>
    public static Zone[] Default { get; } =
    [
        new(0, "America/Los_Angeles", new GeoPoint(34.05, -118.24), 0, 0.12),
        new(1, "America/Chicago", new GeoPoint(41.88, -87.63), 0, 0.10),
        new(2, "America/New_York", new GeoPoint(40.71, -74.01), 0, 0.16),
        new(3, "America/Sao_Paulo", new GeoPoint(-23.55, -46.63), 0, 0.12),
        new(4, "Europe/London", new GeoPoint(51.51, -0.13), 1, 0.14),
        new(5, "Europe/Berlin", new GeoPoint(52.52, 13.40), 1, 0.18),
        new(6, "Asia/Tokyo", new GeoPoint(35.68, 139.69), 2, 0.10),
        new(7, "Australia/Sydney", new GeoPoint(-33.87, 151.21), 2, 0.08),
    ];

    public int LocalHour(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, _zone).Hour;
}
