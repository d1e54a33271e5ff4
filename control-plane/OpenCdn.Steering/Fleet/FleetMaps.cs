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
        // Every location is interned by now; what follows only reads the table, so the edge prefix map (the bulk of the
        // work) builds on one core while the rest builds on the other.
        AddressMap edgeMap = null!;
        AddressMap geoMap = null!;
        IxMap ix = null!;
        FrozenDictionary<string, int[]> groups = null!;
        Parallel.Invoke(
            () => edgeMap = prefixes.Build(),
            () =>
            {
                geoMap = areas.Build();
                ix = IxMap.Build(edges, locations, options.NearestIxSites, defaultLocation);
                groups = edges.GroupBy(e => e.Descriptor.Group, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Index).ToArray(), StringComparer.Ordinal);
            });
        return new FleetSnapshot(generation, now, options, edges, edgeIndex.ToFrozenDictionary(StringComparer.Ordinal),
            edgeMap, geoMap, locations, ix, SiteHoldings.Build(ix, edges), groups, catalog);
    }
}
