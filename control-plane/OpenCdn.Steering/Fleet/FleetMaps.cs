using System.Collections.Frozen;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>The expensive part of a snapshot, built when registrations or the geo table change: edge index, prefix and geo maps, IX sites.</summary>
internal static class FleetMaps
{
    public static FleetSnapshot Build(long generation, DateTimeOffset now, SteeringOptions options, EdgeState[] edges,
        IReadOnlyList<GeoArea> geo, CatalogIndex catalog)
    {
        var locations = new LocationTable();
        var prefixes = new AddressMapBuilder();
        var edgeIndex = new Dictionary<string, int>(edges.Length, StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            var descriptor = edge.Descriptor;
            edgeIndex.Add(descriptor.Id, edge.Index);
            var location = locations.Intern(descriptor.Location);
            var listed = descriptor.SiteKind == EdgeSiteKind.Embedded ? edge.Index : -1;
            foreach (var prefix in descriptor.Prefixes)
            {
                prefixes.Add(prefix, listed, location, descriptor.Group);
            }
        }
        var areas = new AddressMapBuilder();
        foreach (var area in geo)
        {
            areas.Add(area.Prefix, -1, locations.Intern(area.Location), area.Region);
        }
        var defaultLocation = options is { DefaultLatitude: { } lat, DefaultLongitude: { } lon }
            ? locations.Intern(new GeoPoint(lat, lon))
            : -1;
        var ix = IxMap.Build(edges, locations, options.NearestIxSites, defaultLocation);
        var groups = edges.GroupBy(e => e.Descriptor.Group, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Index).ToArray(), StringComparer.Ordinal);
        return new FleetSnapshot(generation, now, options, edges, edgeIndex.ToFrozenDictionary(StringComparer.Ordinal),
            prefixes.Build(), areas.Build(), locations, ix, SiteHoldings.Build(ix, edges), groups, catalog);
    }
}
