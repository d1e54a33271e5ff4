using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Edges;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.Platform.Storage;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Keeps the in-memory fleet that steering and fill read in step with the catalog database: on start it loads every
/// edge and ready title; then, every <see cref="FleetOptions.SyncInterval"/>, it takes what changed since (heartbeats and
/// registrations other instances received, titles workers finished or admins retired), publishes a new snapshot when
/// anything did, folds popularity, replans fill when the catalog or fleet changed or the plan interval passed, and
/// removes a retired title from origin once no plan lists it and no edge reports holding it.
/// Requests that land on this instance (heartbeats, registrations, drains, revocations) reach the fleet at once through its methods.
/// </summary>
internal sealed partial class FleetSync(
    FleetBuilder fleet,
    Steerer steerer,
    PopularityTracker popularity,
    FillPlanner planner,
    EdgeStore edges,
    TitleStore titles,
    PackageReader packageReader,
    IObjectStore origin,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FleetSync> logger) : BackgroundService
{
    /// <summary>Rows are read again this far back: writers' clocks and commits are not exactly in step.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, int> _catalog = new(StringComparer.Ordinal); // title → version steering knows
    private readonly Dictionary<string, DateTimeOffset> _heard = new(StringComparer.Ordinal); // edge → latest heartbeat applied
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retired = new(StringComparer.Ordinal); // retired titles origin still holds
    private readonly ConcurrentDictionary<string, string> _problems = new(StringComparer.Ordinal); // edges left out → why
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _titlesSince = DateTimeOffset.MinValue;
    private DateTimeOffset _edgesSince = DateTimeOffset.MinValue;
    private DateTimeOffset _plannedAt = DateTimeOffset.MinValue;
    private int _changed;
    private int _replan;

    /// <summary>A registration this instance took: steering knows the edge from the next snapshot on.</summary>
    public void Registered(string edgeId, RegisterEdgeRequest registration)
    {
        if (Register(edgeId, registration) is { } problem)
        {
            LeaveOut(edgeId, problem);
        }
    }

    /// <summary>Why an edge is left out of steering (its stored registration or heartbeat is not valid), or null.</summary>
    public string? ProblemOf(string edgeId) => _problems.GetValueOrDefault(edgeId);

    /// <summary>A heartbeat this instance took; false when the fleet does not know the edge yet (the next sync will).</summary>
    public bool Heartbeat(string edgeId, EdgeHeartbeat heartbeat)
    {
        var known = fleet.Heartbeat(edgeId, heartbeat);
        Changed();
        return known;
    }

    public void Drained(string edgeId)
    {
        fleet.SetDraining(edgeId, true);
        Changed();
    }

    /// <summary>An edge an admin revoked here: out of steering and every plan from the next snapshot on.</summary>
    public void Revoked(string edgeId)
    {
        fleet.Remove(edgeId);
        Volatile.Write(ref _replan, 1);
        Changed();
    }

    /// <summary>A title an admin retired here: out of steering and plans from the next sync on, then out of origin.</summary>
    public void Retired(string titleId)
    {
        fleet.Retire(titleId);
        Volatile.Write(ref _replan, 1);
        Changed();
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        SteeringMetrics.Watch(steerer);
        if (options.Value.GeoTable is { } geoTable)
        {
            fleet.SetGeo(GeoTable.Load(geoTable));
        }
        await SyncAsync(cancellationToken); // decisions start from the whole fleet and catalog, never from nothing
        // Reading every edge's inventory and every package leaves a heap of garbage several times the fleet's size:
        // give it back to the system once, rather than carry it for the life of the process.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.SyncInterval, time, stoppingToken);
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SyncFailed(logger, e); // the last snapshot keeps serving; the next pass tries again
            }
        }
    }

    /// <summary>One pass; also what tests and the benchmark call to apply a change without waiting for the timer.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            await ReadCatalogAsync(cancellationToken);
            await ReadFleetAsync(cancellationToken);
            if (Interlocked.Exchange(ref _changed, 0) == 1)
            {
                var started = time.GetTimestamp();
                steerer.Publish(fleet.Build());
                SteeringMetrics.Built(time.GetElapsedTime(started));
            }
            popularity.Fold();
            if (Interlocked.Exchange(ref _replan, 0) == 1 || now - _plannedAt >= options.Value.PlanInterval)
            {
                var started = time.GetTimestamp();
                planner.Plan(steerer.Current, popularity.Snapshot());
                SteeringMetrics.Planned(time.GetElapsedTime(started));
                _plannedAt = now;
            }
            await RemoveRetiredFromOriginAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Changed() => Volatile.Write(ref _changed, 1);

    private async Task ReadCatalogAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Overlap;
        var changed = new List<Title>();
        foreach (var title in await titles.ListChangedSinceAsync(_titlesSince, cancellationToken))
        {
            if (title.Status == TitleStatus.Retired)
            {
                _retired.Add(title.Id); // origin clean-up looks again; nothing to do once origin no longer holds it
            }
            if (_catalog.GetValueOrDefault(title.Id) != ReadyVersion(title))
            {
                changed.Add(title);
            }
        }
        if (changed.Count > 0)
        {
            // Packages are read side by side (a first start reads the whole catalog), then applied as one change.
            var packages = new PackageManifest?[changed.Count];
            await Parallel.ForAsync(0, changed.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (i, token) => packages[i] = ReadyVersion(changed[i]) is > 0 and var version
                    ? await packageReader.ReadAsync(changed[i].Id, version, token)
                    : null);
            var upserts = new List<CatalogTitle>();
            var retired = new List<string>();
            for (var i = 0; i < changed.Count; i++)
            {
                var title = changed[i];
                if (packages[i] is { } package)
                {
                    var files = package.Representations.Select(r => new FillFile(r.File, r.Size, r.Sha256)).ToArray();
                    upserts.Add(new CatalogTitle(title.Id, package.Version, files, title.UpdatedAt));
                    _catalog[title.Id] = package.Version;
                }
                else
                {
                    retired.Add(title.Id);
                    _catalog.Remove(title.Id);
                }
            }
            fleet.Change(upserts, retired);
            Volatile.Write(ref _replan, 1);
            Changed();
        }
        _titlesSince = since;
    }

    private static int ReadyVersion(Title title) => title.Status == TitleStatus.Ready ? title.PackageVersion : 0;

    private async Task ReadFleetAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Overlap;
        foreach (var edge in await edges.ListChangedSinceAsync(_edgesSince, cancellationToken))
        {
            Apply(edge);
        }
        _edgesSince = since;
        foreach (var id in await edges.ListRevokedAsync(cancellationToken))
        {
            if (_revoked.Add(id))
            {
                Revoked(id); // another instance revoked it, or it was revoked before this one started
            }
        }
        var draining = (await edges.ListDrainingAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (!draining.SetEquals(_draining))
        {
            foreach (var id in draining.Except(_draining))
            {
                fleet.SetDraining(id, true);
            }
            _draining.Clear();
            _draining.UnionWith(draining);
            Changed();
        }
    }

    /// <summary>
    /// Brings one edge's row into the fleet: its registration once, then each newer heartbeat, both checked by the rules
    /// the API applies. A row that fails them, or fails to build, leaves that edge out of steering; the rest go on.
    /// </summary>
    private void Apply(EdgeRecord edge)
    {
        string? problem;
        try
        {
            problem = ApplyOrExplain(edge);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problem = $"{e.GetType().Name}: {e.Message}";
        }
        if (problem is not null)
        {
            _heard.Remove(edge.Id); // a later valid row registers it again
            LeaveOut(edge.Id, problem);
        }
        else if (_problems.TryRemove(edge.Id, out _))
        {
            SteeringMetrics.LeftOut(_problems.Count);
        }
    }

    private string? ApplyOrExplain(EdgeRecord edge)
    {
        if (edge.Unreadable is { } unreadable)
        {
            return unreadable;
        }
        if (!_heard.TryGetValue(edge.Id, out var heard))
        {
            if ((EdgeInputRules.Problem(edge.Registration) ?? Register(edge.Id, edge.Registration!)) is { } problem)
            {
                return problem;
            }
            fleet.SetDraining(edge.Id, edge.Draining);
            _heard[edge.Id] = heard = DateTimeOffset.MinValue;
        }
        if (edge is { Heartbeat: { } heartbeat, LastHeartbeat: { } at } && at > heard)
        {
            if (EdgeInputRules.Problem(heartbeat) is { } problem)
            {
                return problem;
            }
            fleet.Heartbeat(edge.Id, heartbeat, at);
            _heard[edge.Id] = at;
            Changed();
        }
        return null;
    }

    /// <summary>Adds the edge to the fleet; what is wrong with its registration when steering cannot use it.</summary>
    private string? Register(string edgeId, RegisterEdgeRequest registration)
    {
        if (EdgeDescriptor.FromRequest(edgeId, registration, out var error) is not { } descriptor)
        {
            return $"registration: {error}";
        }
        fleet.Register(descriptor);
        Volatile.Write(ref _replan, 1);
        Changed();
        return null;
    }

    /// <summary>Takes the edge out of steering until a valid row brings it back, and says why once per new problem.</summary>
    private void LeaveOut(string edgeId, string problem)
    {
        if (fleet.Remove(edgeId))
        {
            Volatile.Write(ref _replan, 1);
            Changed();
        }
        if (_problems.GetValueOrDefault(edgeId) != problem)
        {
            _problems[edgeId] = problem;
            Log.EdgeLeftOut(logger, edgeId, problem);
        }
        SteeringMetrics.LeftOut(_problems.Count);
    }

    /// <summary>A retired title leaves origin only after it left every plan and every edge that is up reports not holding it.</summary>
    private async Task RemoveRetiredFromOriginAsync(CancellationToken cancellationToken)
    {
        // Titles origin no longer holds (cleaned up before, or at an earlier start) cost one listing, never a fleet read.
        var ready = new List<(string TitleId, List<string> Keys)>();
        foreach (var titleId in _retired.Where(id => !planner.AnyPlanHolds(id)).ToList())
        {
            var keys = new List<string>();
            foreach (var prefix in new[] { $"titles/{titleId}/", $"masters/{titleId}/" })
            {
                await foreach (var item in origin.ListAsync(prefix, cancellationToken))
                {
                    keys.Add(item.Key);
                }
            }
            if (keys.Count == 0)
            {
                _retired.Remove(titleId);
            }
            else
            {
                ready.Add((titleId, keys));
            }
        }
        if (ready.Count == 0)
        {
            return;
        }
        var downAfter = steerer.Current.Options.DownAfter;
        var now = time.GetUtcNow();
        var holders = (await edges.ListAsync(cancellationToken))
            .Where(e => e.LastHeartbeat is { } at && now - at <= downAfter)
            .SelectMany(e => e.Heartbeat?.Inventory ?? [])
            .OfType<InventoryItem>() // a row left out of steering may hold anything; its titles still stay in origin
            .Select(i => i.TitleId)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (titleId, keys) in ready.Where(r => !holders.Contains(r.TitleId)))
        {
            foreach (var key in keys)
            {
                await origin.DeleteAsync(key, cancellationToken);
            }
            _retired.Remove(titleId);
            Log.RetiredFromOrigin(logger, titleId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Fleet sync failed; steering keeps its last snapshot")]
        public static partial void SyncFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Retired title {TitleId} left every plan and edge; removed from origin")]
        public static partial void RetiredFromOrigin(ILogger logger, string titleId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Edge {EdgeId} is left out of steering until it sends valid state: {Problem}")]
        public static partial void EdgeLeftOut(ILogger logger, string edgeId, string problem);
    }
}
