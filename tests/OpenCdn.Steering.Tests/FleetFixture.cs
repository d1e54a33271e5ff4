using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Tests;

/// <summary>A small fleet on a fake clock: register edges, send heartbeats, set the catalog, then decide.</summary>
internal sealed class FleetFixture
{
    public const long Gbps = 1_000_000_000;

    public FleetFixture(SteeringOptions? options = null)
    {
        Options = options ?? new SteeringOptions { HeartbeatInterval = TimeSpan.FromSeconds(10) };
        Builder = new FleetBuilder(Options, Time);
        Popularity = new PopularityTracker(new PopularityOptions(), Time);
        Steerer = new Steerer(Time, Popularity);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public SteeringOptions Options { get; }

    public FleetBuilder Builder { get; }

    public PopularityTracker Popularity { get; }

    public Steerer Steerer { get; }

    public static EdgeDescriptor Edge(string id, EdgeSiteKind kind, string[] prefixes, GeoPoint? at = null, string? isp = null,
        long diskBytes = 1L << 40, long egress = 10 * Gbps) =>
        new(id, $"{id}-name", new Uri($"https://{id}.example.net/"), kind, null, isp, at, [.. prefixes.Select(IpPrefix.Parse)],
            diskBytes, egress);

    public FleetFixture Add(EdgeDescriptor edge, double load = 0.1, EdgeHealth health = EdgeHealth.Healthy, params string[] holds)
    {
        Builder.Register(edge);
        Beat(edge.Id, load, health, holds);
        return this;
    }

    public void Beat(string edgeId, double load = 0.1, EdgeHealth health = EdgeHealth.Healthy, params string[] holds)
    {
        var capacity = 10 * Gbps;
        var inventory = holds.Select(t => new InventoryItem(t, 1)).ToList();
        Assert.True(Builder.Heartbeat(edgeId, new EdgeHeartbeat(health, 10, (long)(load * capacity), 1L << 30, inventory,
            new FillProgress(1, false, 0, 0, 0, 0))));
    }

    public FleetFixture Titles(params string[] titleIds)
    {
        Builder.SetCatalog(titleIds.Select(Title));
        return this;
    }

    public static CatalogTitle Title(string titleId) => Title(titleId, 1_000_000);

    public static CatalogTitle Title(string titleId, long size, double boost = 0, DateTimeOffset launched = default) =>
        new(titleId, 1, [new FillFile("video_720p.mp4", size, new string('a', 64))], launched, boost);

    public FleetSnapshot Publish()
    {
        var snapshot = Builder.Build();
        Steerer.Publish(snapshot);
        return snapshot;
    }

    public SteeringDecision Decide(string titleId, string client) => Steerer.Decide(titleId, IPAddress.Parse(client));

    public static string[] Ids(SteeringDecision decision) => [.. decision.ToArray().Select(s => s.Id)];
}
