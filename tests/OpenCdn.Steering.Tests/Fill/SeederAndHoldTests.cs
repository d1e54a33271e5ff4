using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using static OpenCdn.Steering.Tests.FleetFixture;

namespace OpenCdn.Steering.Tests.Fill;

/// <summary>
/// Tiered fill (one edge of a group fetches a new title from origin, the others from it) and the planner's hysteresis
/// (a held title is replaced only by a candidate worth <see cref="FillOptions.HoldMargin"/> more).
/// </summary>
public sealed class SeederAndHoldTests
{
    private const long MB = 1_000_000;
    private static readonly string[] Group = ["e1", "e2", "e3", "e4"];

    private static Uri OriginUrl(string titleId, int version, FillFile file) => new($"https://origin.example/{titleId}/v{version}/{file.Name}");

    private static (FleetFixture Fleet, FillPlanner Planner, IReadOnlyDictionary<string, EdgeAssignment> Plans) Isp(int titles)
    {
        var fleet = new FleetFixture();
        fleet.Builder.SetCatalog(Enumerable.Range(0, titles).Select(i => Title($"t{i}", MB)));
        foreach (var id in Group)
        {
            fleet.Add(Edge(id, EdgeSiteKind.Embedded, [], isp: "acme", diskBytes: 1000 * MB));
        }
        var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0 });
        return (fleet, planner, planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot()));
    }

    private static FillPlan Materialize(FleetFixture fleet, FillPlanner planner, IReadOnlyDictionary<string, EdgeAssignment> plans, string id) =>
        planner.Materialize(fleet.Builder.Build(), plans[id], OriginUrl, (peer, title) => $"{peer}|{title}", fleet.Time.GetUtcNow().UtcTicks);

    [Fact]
    public void ATitleNoPeerHolds_IsFetchedFromOriginByOneSeeder_TheOthersListItAndWait()
    {
        var (fleet, planner, plans) = Isp(titles: 40);
        var seeds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < 40; t++)
        {
            var items = Group.ToDictionary(id => id, id => Materialize(fleet, planner, plans, id).Items.Single(i => i.TitleId == $"t{t}"));
            // Exactly one edge may use origin now: its only source.
            var seeder = Assert.Single(items, i => i.Value.Sources is [{ Kind: FillSourceKind.Origin, NotBefore: null }]).Key;
            seeds[seeder] = seeds.GetValueOrDefault(seeder) + 1;
            foreach (var (id, item) in items.Where(i => i.Key != seeder))
            {
                // The others: the seeder as their peer (with its token), then origin only after the seeder's wait.
                Assert.Equal([FillSourceKind.Peer, FillSourceKind.Origin], item.Sources.Select(s => s.Kind));
                Assert.Equal($"{seeder}-name", item.Sources[0].Name);
                Assert.Equal($"{seeder}|t{t}", item.Sources[0].Token);
                Assert.Equal(plans[id].GeneratedAt + new FillOptions().SeedWait, item.Sources[1].NotBefore);
            }
        }
        // Rendezvous hashing spreads the seeding over the group.
        Assert.Equal(Group.Length, seeds.Count);
    }

    [Fact]
    public void OnceTheSeederHoldsIt_ThePeersTakeItFromThere_WithOriginOpen()
    {
        var (fleet, planner, plans) = Isp(titles: 1);
        var seeder = Group.Single(id => Materialize(fleet, planner, plans, id).Items[0].Sources.Count == 1);
        fleet.Beat(seeder, holds: ["t0"]);

        foreach (var id in Group.Where(id => id != seeder))
        {
            var sources = Materialize(fleet, planner, plans, id).Items[0].Sources;
            Assert.Equal([$"{seeder}-name", "origin"], sources.Select(s => s.Name));
            Assert.Null(sources[1].NotBefore);
        }
    }

    [Fact]
    public void ASeederThatIsDown_IsReplacedByAnotherEdgeOfTheGroup()
    {
        var (fleet, planner, plans) = Isp(titles: 1);
        var first = Group.Single(id => Materialize(fleet, planner, plans, id).Items[0].Sources.Count == 1);
        fleet.Time.Advance(fleet.Options.DownAfter + TimeSpan.FromSeconds(1));
        foreach (var id in Group.Where(id => id != first))
        {
            fleet.Beat(id); // the others stay up; the first seeder went silent
        }

        var next = Group.Where(id => id != first).Where(id => Materialize(fleet, planner, plans, id).Items[0].Sources.Count == 1).ToArray();

        Assert.NotEqual(first, Assert.Single(next));
    }

    [Fact]
    public void AHeldTitle_KeepsItsPlace_UntilACandidateBeatsItByTheMargin()
    {
        foreach (var (margin, keptAt12) in new[] { (0.5, true), (0.0, false) })
        {
            var fleet = new FleetFixture();
            fleet.Builder.SetCatalog([Title("held", 100 * MB), Title("rival", 100 * MB)]);
            fleet.Builder.Register(Edge("ix", EdgeSiteKind.IX, [], diskBytes: 100 * MB));
            var planner = new FillPlanner(new FillOptions { DiskHeadroom = 0, HoldMargin = margin });
            Plays(fleet, "held", 10);
            Plays(fleet, "rival", 5);
            Assert.Equal("held", Planned(planner, fleet));

            Plays(fleet, "rival", 7); // 12 against 10: better, but by less than half
            Assert.Equal(keptAt12 ? "held" : "rival", Planned(planner, fleet));

            Plays(fleet, "rival", 4); // 16 against 10: more than half better
            Assert.Equal("rival", Planned(planner, fleet));
        }
    }

    private static void Plays(FleetFixture fleet, string titleId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            fleet.Popularity.Record(titleId, "r", fleet.Time.GetUtcNow().UtcTicks);
        }
    }

    private static string Planned(FillPlanner planner, FleetFixture fleet) =>
        Assert.Single(planner.Plan(fleet.Builder.Build(), fleet.Popularity.Snapshot())["ix"].Titles).TitleId;
}
