using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Edges;
using OpenCdn.FleetSim.Model;
using OpenCdn.FleetSim.Report;
using OpenCdn.Steering;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.FleetSim.Push;

/// <summary>
/// Push fill on the control plane's own types, wired as the control plane wires them (<see cref="FleetBuilder"/>,
/// <see cref="PopularityTracker"/>, <see cref="Steerer"/>, <see cref="FillPlanner"/>) on a fake clock. Edges heartbeat
/// their complete packages every hour they are up; every play is a real <see cref="Steerer.Decide"/>; the planner plans
/// every <see cref="SimOptions.PlanInterval"/> and after catalog changes; each edge evicts what left its plan and, inside
/// its window and under its rate cap, fills the missing titles in plan order, from a peer of its group that holds the
/// package, or from the title's seeder in the group once it does, or from origin (the planner's own <see cref="FillSources"/>).
/// </summary>
internal sealed class PushFleet
{
    /// <summary>The appliance's default <c>DiskHeadroomBytes</c>.</summary>
    private const long EdgeHeadroomBytes = 1L << 30;

    private readonly SimOptions _options;
    private readonly Network _network;
    private readonly CatalogModel _catalog;
    private readonly Outages _outages;
    private readonly FakeTimeProvider _time;
    private readonly PushEdge[] _edges;
    private readonly FrozenDictionary<string, int> _edgeById;
    private Dictionary<CatalogTitle[], int[]> _planIndices = new(ReferenceEqualityComparer.Instance);
    private readonly bool[] _planned; // scratch of Evict: the titles of the plan it evicts against
    private readonly InventoryItem[] _items;
    private readonly int[] _embeddedHolders;
    private readonly int[] _ispHolders;
    private readonly int[] _ispsHolding;
    private int[] _ispPlanners = [];
    private static readonly Dictionary<string, Uri> NoUrls = [];

    private readonly TimeSpan _seedWait = new FillOptions().SeedWait;
    private readonly Random _random;
    private readonly DateTimeOffset _start;
    private bool _catalogChanged;

    public PushFleet(SimOptions options, Network network, CatalogModel catalog, Outages outages, DateTimeOffset start, Ledger ledger)
    {
        _options = options;
        _network = network;
        _catalog = catalog;
        _outages = outages;
        _start = start;
        Ledger = ledger;
        _random = new Random(options.Seed + 4);
        _time = new FakeTimeProvider(start);
        // Heartbeats come every simulated hour; an edge that missed one is down for the hour.
        var steering = new SteeringOptions { HeartbeatInterval = TimeSpan.FromMinutes(15), MissedHeartbeats = 3 };
        Fleet = new FleetBuilder(steering, _time);
        Popularity = new PopularityTracker(
            new PopularityOptions { HalfLife = options.HalfLife, DefaultLaunchBoost = options.LaunchBoost, MaxPending = 1 << 20 }, _time);
        Steerer = new Steerer(_time, Popularity);
        Planner = new FillPlanner(new FillOptions
        {
            DiskHeadroom = options.DiskHeadroom,
            HoldMargin = options.HoldMargin,
            ShardWithinGroup = options.Shard,
            ReplicaLoad = options.ReplicaLoad,
        });
        _edges = [.. network.Edges.Select(e => new PushEdge(e, catalog.Titles.Count))];
        _edgeById = network.Edges.ToFrozenDictionary(e => e.Id, e => e.Index, StringComparer.Ordinal);
        _embeddedHolders = new int[catalog.Titles.Count];
        _ispHolders = new int[options.Isps * catalog.Titles.Count];
        _ispsHolding = new int[catalog.Titles.Count];
        _planned = new bool[catalog.Titles.Count];
        _items = [.. catalog.Titles.Select(t => new InventoryItem(t.Id, 1))];
        foreach (var edge in network.Edges)
        {
            Fleet.Register(edge.Descriptor);
        }
    }

    public FleetBuilder Fleet { get; }

    public PopularityTracker Popularity { get; }

    public Steerer Steerer { get; }

    public FillPlanner Planner { get; }

    public Ledger Ledger { get; }

    /// <summary>Wall seconds in heartbeats and snapshots, fill, decisions, popularity folds.</summary>
    public double[] Phases { get; } = new double[4];

    /// <summary>The same phases in CPU seconds of the push thread (what a shared machine does not inflate).</summary>
    public double[] PhaseCpu { get; } = new double[4];

    public IReadOnlyList<PushEdge> Edges => _edges;

    /// <summary>Titles launched and retired at a day's start reach the control plane's catalog.</summary>
    public void ChangeCatalog(List<SimTitle> launched, List<SimTitle> retired, bool first)
    {
        if (first)
        {
            Fleet.SetCatalog(_catalog.Titles.Where(t => t.InCatalog(_time.GetUtcNow())).Select(t => t.Catalog));
        }
        else if (launched.Count + retired.Count > 0)
        {
            Fleet.Change([.. launched.Select(t => t.Catalog)], [.. retired.Select(t => t.Id)]);
        }
        _catalogChanged |= first || launched.Count + retired.Count > 0;
    }

    /// <summary>One simulated hour: heartbeats, planning, fill, then the hour's plays.</summary>
    public void Step(int hour, PlayBatch plays)
    {
        var now = _start.AddHours(hour);
        _time.SetUtcNow(now);
        var phase = Stopwatch.GetTimestamp();
        var cpu = ThreadClock.Seconds();
        Heartbeats(hour);
        Phases[0] += Stopwatch.GetElapsedTime(phase).TotalSeconds;
        PhaseCpu[0] += Lap(ref cpu);
        if (_catalogChanged || hour % (int)_options.PlanInterval.TotalHours == 0)
        {
            var started = Stopwatch.GetTimestamp();
            Planner.Plan(Steerer.Current, Popularity.Snapshot());
            _ = Popularity.TakeUnflushed(); // what the control plane adds to the fleet-wide counts; one process needs none
            Ledger.PlannerSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            Ledger.PlannerCpuSeconds += Lap(ref cpu);
            Ledger.PlannerRuns++;
            _catalogChanged = false;
            ForgetPastPlans();
            CountPlanners();
        }
        var snapshot = Steerer.Current;
        phase = Stopwatch.GetTimestamp();
        cpu = ThreadClock.Seconds();
        foreach (var edge in _edges)
        {
            if (!_outages.IsDown(edge.Edge.Index, hour))
            {
                Fill(edge, hour, snapshot);
            }
        }
        TrackLaunches(hour);
        Phases[1] += Stopwatch.GetElapsedTime(phase).TotalSeconds;
        PhaseCpu[1] += Lap(ref cpu);
        phase = Stopwatch.GetTimestamp();
        Serve(hour, plays);
        Phases[2] += Stopwatch.GetElapsedTime(phase).TotalSeconds;
        PhaseCpu[2] += Lap(ref cpu);
        phase = Stopwatch.GetTimestamp();
        Popularity.Fold();
        Phases[3] += Stopwatch.GetElapsedTime(phase).TotalSeconds;
        PhaseCpu[3] += Lap(ref cpu);
        foreach (var edge in _edges)
        {
            Ledger.MostOverCapacity = Math.Max(Ledger.MostOverCapacity, edge.Used - edge.Edge.DiskBytes);
        }
        if (hour % 24 == 23)
        {
            Ledger.DiskUsedShare[hour / 24] = _edges.Where(e => e.Edge.Embedded).Average(e => (double)e.Used / e.Edge.DiskBytes);
        }
    }

    private void Heartbeats(int hour)
    {
        foreach (var edge in _edges)
        {
            var index = edge.Edge.Index;
            edge.ServedLastHour = edge.ServedThisHour;
            edge.ServedThisHour = 0;
            if (_outages.ComesBackEmpty(index, hour))
            {
                foreach (var title in edge.HeldSet)
                {
                    Lose(edge, title);
                }
                edge.Wipe();
            }
            if (_outages.IsDown(index, hour))
            {
                continue; // silent: steering sees it down once its last heartbeat is older than DownAfter
            }
            var egress = (long)(edge.ServedLastHour * 8 / 3600);
            Fleet.Heartbeat(edge.Edge.Id, new EdgeHeartbeat(EdgeHealth.Healthy, 0, egress, edge.Edge.DiskBytes - edge.Used,
                edge.Inventory(_items), new FillProgress(Math.Max(0, edge.PlanVersion), false, 0, 0, 0, 0)));
        }
        Steerer.Publish(Fleet.Build());
    }

    private void Fill(PushEdge edge, int hour, FleetSnapshot snapshot)
    {
        if (Planner.Current(edge.Edge.Id) is not { } plan)
        {
            return;
        }
        var order = PlanIndices(plan.Titles);
        if (plan.Version != edge.PlanVersion)
        {
            Evict(edge, order, hour >= Ledger.MeasuredFrom);
            edge.PlanVersion = plan.Version;
            edge.Done = false;
        }
        var zone = _network.Zones[edge.Edge.Zone];
        var local = zone.LocalHour(_start.AddHours(hour));
        if (edge.Done || !InWindow(local))
        {
            return;
        }
        var titles = _catalog.Titles;
        var budget = _options.FillRateBytesPerSecond * 3600;
        var capacity = edge.Edge.DiskBytes - EdgeHeadroomBytes;
        var waiting = false;
        Place? place = null;
        foreach (var index in order)
        {
            if (budget == 0)
            {
                return;
            }
            if (edge.Held[index])
            {
                continue;
            }
            var title = titles[index];
            var partial = edge.Partials.GetValueOrDefault(index);
            var need = title.SizeBytes - (partial?.Done ?? 0);
            if (edge.Used + need > capacity)
            {
                continue; // as the appliance does: skip what does not fit, a smaller later title may
            }
            if (partial is null)
            {
                place ??= new Place(snapshot.FindEdge(edge.Edge.Id), snapshot.Groups.GetValueOrDefault(edge.Edge.Descriptor.Group) ?? []);
                if (Source(place.Value, plan, title, snapshot) is not { } fromPeer)
                {
                    waiting = true; // the group's seeder fetches it first
                    continue;
                }
                partial = new PushEdge.Partial(0, fromPeer);
                edge.Partials[index] = partial;
            }
            var moved = Math.Min(need, budget);
            budget -= moved;
            partial.Done += moved;
            edge.Used += moved;
            Record(edge, hour, local, moved, partial.FromPeer, index);
            if (edge.Used > edge.Edge.DiskBytes)
            {
                Ledger.OverCapacityEvents++;
            }
            if (partial.Done == title.SizeBytes)
            {
                edge.Complete(index);
                Gain(edge, index);
            }
        }
        edge.Done = budget > 0 && !waiting;
    }

    /// <summary>
    /// Where the edge takes a title from, as the appliance walks the plan's sources (<see cref="FillSources.For"/>, what
    /// <see cref="FillPlanner.Materialize"/> lists): the first peer that holds it (true), else origin once open (false),
    /// else nothing yet (null: it waits for the group's seeder).
    /// </summary>
    private bool? Source(Place place, EdgeAssignment plan, SimTitle title, FleetSnapshot snapshot)
    {
        var book = Planner.Book;
        var now = _time.GetUtcNow();
        var sources = FillSources.For(snapshot, place.Group, place.Self, title.Catalog, 2, static (_, _) => "", now.UtcTicks, NoUrls,
            plan.GeneratedAt + _seedWait, e => book.Lists(e.Descriptor.Id, title.Catalog));
        foreach (var source in sources)
        {
            if (source.Kind == FillSourceKind.Peer && _edges[_edgeById[source.Name]].Held[title.Index])
            {
                return true;
            }
            if (source.Kind == FillSourceKind.Origin && (source.NotBefore is null || source.NotBefore <= now))
            {
                return false;
            }
        }
        return null;
    }

    private void Record(PushEdge edge, int hour, int local, long bytes, bool fromPeer, int title)
    {
        (fromPeer ? Ledger.FillFromPeer : Ledger.FillFromOrigin)[hour] += bytes;
        if (hour >= Ledger.MeasuredFrom)
        {
            Ledger.FillByLocalHour[local] += bytes;
        }
        if (!InWindow(local))
        {
            Ledger.FillOutsideWindow[hour] += bytes;
        }
        if (IsPeak(local))
        {
            Ledger.FillAtPeak[hour] += bytes;
        }
        if (edge.Edge.Embedded)
        {
            Ledger.EmbeddedFillByIsp[edge.Edge.Isp] += bytes;
            if (!fromPeer)
            {
                Ledger.EmbeddedFillFromOriginByIsp[edge.Edge.Isp] += bytes;
            }
            // Titles that several edges of the ISP plan: one copy over transit is the (N-1)/N target.
            var copies = _ispPlanners[(edge.Edge.Isp * _catalog.Titles.Count) + title];
            if (copies > 1)
            {
                Ledger.MultiCopyFill += bytes;
                Ledger.MultiCopyIdealFromOrigin += (double)bytes / copies;
                Ledger.MultiCopyFillFromOrigin += fromPeer ? 0 : bytes;
            }
        }
    }

    /// <summary>Packages and partial downloads that left the plan go, as the appliance's evictor removes them.</summary>
    private void Evict(PushEdge edge, int[] plan, bool measured)
    {
        var planned = _planned;
        foreach (var title in plan)
        {
            planned[title] = true;
        }
        foreach (var title in edge.HeldSet.Where(t => !planned[t]).ToList())
        {
            if (measured && edge.Edge.Embedded)
            {
                Ledger.EvictedBytes += _catalog.Titles[title].SizeBytes;
            }
            edge.Evict(title, _catalog.Titles[title].SizeBytes);
            Lose(edge, title);
        }
        foreach (var (title, partial) in edge.Partials.Where(p => !planned[p.Key]).ToList())
        {
            edge.Used -= partial.Done;
            edge.Partials.Remove(title);
        }
        foreach (var title in plan)
        {
            planned[title] = false;
        }
    }

    private void Serve(int hour, PlayBatch plays)
    {
        var titles = _catalog.Titles;
        var now = _start.AddHours(hour);
        var localHours = _network.Zones.Select(z => z.LocalHour(now)).ToArray();
        var measured = hour >= Ledger.MeasuredFrom;
        Span<int> best = stackalloc int[SteeringDecision.MaxServers];
        for (var p = 0; p < plays.Count; p++)
        {
            var title = titles[plays.Title[p]];
            var decision = Steerer.Decide(title.Id, _network.Clients[plays.Isp[p]][plays.Client[p]]);
            if (decision.Outcome == SteeringOutcome.UnknownTitle)
            {
                throw new InvalidOperationException($"A play of {title.Id}, which the catalog does not hold.");
            }
            var bytes = plays.Bytes[p];
            Ledger.Plays[hour]++;
            if (measured)
            {
                Ledger.ServedByLocalHour[localHours[_network.IspZone[plays.Isp[p]]]] += bytes;
            }
            Ledger.Outcomes[(int)decision.Outcome][hour]++;
            var server = Choose(decision, best);
            var launchDay = title.LaunchWeight > 0 && now - title.LaunchedAt < TimeSpan.FromDays(1);
            if (server.Id == ServerChoice.OriginId)
            {
                Ledger.Origin[hour] += bytes;
            }
            else
            {
                var edge = _edges[_edgeById[server.Id]];
                edge.ServedThisHour += bytes;
                (edge.Edge.Embedded ? Ledger.Embedded : Ledger.Ix)[hour] += bytes;
                if (launchDay && edge.Edge.Embedded)
                {
                    Ledger.DayOneEmbedded[title.Index] += bytes;
                }
            }
            if (launchDay)
            {
                Ledger.DayOneTotal[title.Index] += bytes;
            }
        }
    }

    /// <summary>The player's pick: the lowest priority, then by weight (as dash.js picks among BaseURLs).</summary>
    private ServerChoice Choose(in SteeringDecision decision, Span<int> best)
    {
        var priority = decision[0].Priority;
        var count = 0;
        var total = 0;
        for (var i = 0; i < decision.Count && decision[i].Priority == priority; i++)
        {
            best[count++] = i;
            total += decision[i].Weight;
        }
        if (count == 1 || total <= 0)
        {
            return decision[0];
        }
        var pick = _random.Next(total);
        for (var k = 0; k < count; k++)
        {
            pick -= decision[best[k]].Weight;
            if (pick < 0)
            {
                return decision[best[k]];
            }
        }
        return decision[best[count - 1]];
    }

    private void TrackLaunches(int hour)
    {
        var now = _start.AddHours(hour);
        foreach (var title in _catalog.Titles)
        {
            if (title.LaunchWeight <= 0 || title.LaunchedAt > now || now - title.LaunchedAt > TimeSpan.FromDays(7))
            {
                continue;
            }
            var age = (now - title.LaunchedAt).TotalHours;
            if (Ledger.FirstCopyHours[title.Index] < 0 && _embeddedHolders[title.Index] > 0)
            {
                Ledger.FirstCopyHours[title.Index] = age;
            }
            if (Ledger.HalfCopiesHours[title.Index] < 0 && _ispsHolding[title.Index] * 2 >= _options.Isps)
            {
                Ledger.HalfCopiesHours[title.Index] = age;
            }
        }
    }

    /// <summary>An embedded edge completed a title: its ISP holds one more copy.</summary>
    private void Gain(PushEdge edge, int title)
    {
        if (edge.Edge.Embedded)
        {
            _embeddedHolders[title]++;
            if (_ispHolders[(edge.Edge.Isp * _catalog.Titles.Count) + title]++ == 0)
            {
                _ispsHolding[title]++;
            }
        }
    }

    private void Lose(PushEdge edge, int title)
    {
        if (edge.Edge.Embedded)
        {
            _embeddedHolders[title]--;
            if (--_ispHolders[(edge.Edge.Isp * _catalog.Titles.Count) + title] == 0)
            {
                _ispsHolding[title]--;
            }
        }
    }

    /// <summary>Per ISP and title, how many of the ISP's edges the current plans give it.</summary>
    private void CountPlanners()
    {
        var titles = _catalog.Titles.Count;
        if (_ispPlanners.Length != _options.Isps * titles)
        {
            _ispPlanners = new int[_options.Isps * titles];
        }
        Array.Clear(_ispPlanners);
        foreach (var edge in _edges.Where(e => e.Edge.Embedded))
        {
            if (Planner.Current(edge.Edge.Id) is { } plan)
            {
                foreach (var index in PlanIndices(plan.Titles))
                {
                    _ispPlanners[(edge.Edge.Isp * titles) + index]++;
                }
            }
        }
    }

    /// <summary>Keeps the catalog indices of the current plans only (a plan that kept its cut keeps its array).</summary>
    private void ForgetPastPlans()
    {
        var current = new Dictionary<CatalogTitle[], int[]>(ReferenceEqualityComparer.Instance);
        foreach (var edge in _edges)
        {
            if (Planner.Current(edge.Edge.Id) is { } plan && _planIndices.TryGetValue(plan.Titles, out var indices))
            {
                current[plan.Titles] = indices;
            }
        }
        _planIndices = current;
    }

    /// <summary>The plan's titles as catalog indices, in plan order (computed once per plan).</summary>
    private int[] PlanIndices(CatalogTitle[] titles)
    {
        if (!_planIndices.TryGetValue(titles, out var indices))
        {
            indices = [.. titles.Select(t => SimTitle.IndexOf(t.TitleId))];
            _planIndices.Add(titles, indices);
        }
        return indices;
    }

    private static double Lap(ref double since)
    {
        var now = ThreadClock.Seconds();
        (var lap, since) = (now - since, now);
        return lap;
    }

    /// <summary>An edge's place in the snapshot, looked up once per fill pass: itself and its group.</summary>
    private readonly record struct Place(EdgeState? Self, int[] Group);

    public bool InWindow(int localHour) => Window.Contains(_options.FillStartHour, _options.FillEndHour, localHour);

    private bool IsPeak(int localHour) => Window.Contains(_options.PeakStartHour, _options.PeakEndHour, localHour);
}
