using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// One row of the geo table: clients in <see cref="Prefix"/> are at <see cref="Location"/> and count towards
/// <see cref="Region"/>'s popularity. Consulted when no edge prefix places the client.
/// </summary>
internal sealed record GeoArea(IpPrefix Prefix, GeoPoint Location, string Region);
