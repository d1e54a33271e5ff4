using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Edges;
using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Keeps the in-memory fleet that steering reads in step with the catalog database: on start it loads every edge and
/// ready title; then, every <see cref="FleetOptions.SyncInterval"/>, it takes what changed since (heartbeats and
/// registrations other instances received, revocations; titles through the <see cref="CatalogFollower"/>) and publishes a new
/// snapshot when anything did. Each pass then lets the <see cref="FillReplanner"/> (popularity, the planning lease and
/// the shared fill plans) and the <see cref="RetiredTitleCollector"/> do their part. Requests that land on this
/// instance (heartbeats, registrations, drains, revocations) reach the fleet at once through its methods. On stop it
/// gives the planning lease up.
/// </summary>
internal sealed partial class FleetSync(
    FleetBuilder fleet,
    Steerer steerer,
    CatalogFollower catalog,
    FillReplanner replanner,
    RetiredTitleCollector collector,
    EdgeProblems problems,
    EdgeStore edges,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FleetSync> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _heard = new(StringComparer.Ordinal); // edge → latest heartbeat applied
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _edgesSince = DateTimeOffset.MinValue;
    private int _changed;

    /// <summary>A registration this instance took: steering knows the edge from the next snapshot on.</summary>
    public void Registered(string edgeId, RegisterEdgeRequest registration)
    {
        if (Register(edgeId, registration) is { } problem)
        {
            LeaveOut(edgeId, problem);
        }
    }

    /// <summary>A heartbeat this instance took; false when the fleet does not know the edge yet (the next sync will).</summary>
    public bool Heartbeat(string edgeId, EdgeHeartbeat heartbeat)
    {
        var known = fleet.Heartbeat(edgeId, heartbeat);
        Changed();
        return known;
    }

    /// <summary>An edge an admin drained or returned to service on this instance.</summary>
    public void SetDraining(string edgeId, bool draining)
    {
        fleet.SetDraining(edgeId, draining);
        Changed();
    }

    /// <summary>
    /// An edge an admin revoked: out of steering from the next snapshot on, and out of every plan, its own and the ones
    /// that list it as a peer (every edge gets a new plan version and fetches it again).
    /// </summary>
    public void Revoked(string edgeId)
    {
        fleet.Remove(edgeId);
        replanner.Reissue();
        Changed();
    }

    /// <summary>A title an admin retired here: out of steering and plans from the next sync on, then out of origin.</summary>
    public void Retired(string titleId)
    {
        fleet.Retire(titleId);
        replanner.Request();
        Changed();
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.GeoTable is { } geoTable)
        {
            fleet.SetGeo(GeoTable.Load(geoTable));
        }
        await SyncAsync(cancellationToken); // decisions start from the whole fleet and catalog, never from nothing
        // Reading every edge's inventory and every package leaves a heap of garbage several times the fleet's size:
        // give it back to the system once, rather than carry it for the life of the process (measured at fleet scale:
        // RSS 1.9 GB without, 635 MB with; docs/benchmarks.md, steering over HTTP).
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await replanner.ReleaseAsync(cancellationToken); // another instance plans from its next pass
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReleaseFailed(logger, e);
        }
    }

    /// <summary>One pass; also what tests and the benchmark call to apply a change without waiting for the timer.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await catalog.ReadAsync(cancellationToken))
            {
                replanner.Request();
                Changed();
            }
            await ReadFleetAsync(cancellationToken);
            if (Interlocked.Exchange(ref _changed, 0) == 1)
            {
                var started = time.GetTimestamp();
                steerer.Publish(fleet.Build());
                SteeringMetrics.Built(time.GetElapsedTime(started));
            }
            await replanner.StepAsync(cancellationToken);
            await collector.CollectAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Changed() => Volatile.Write(ref _changed, 1);

    private async Task ReadFleetAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - CatalogFollower.Overlap;
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
            foreach (var id in _draining.Except(draining))
            {
                fleet.SetDraining(id, false); // returned to service, here or on another instance
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
        else
        {
            problems.Clear(edge.Id);
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
        replanner.Request();
        Changed();
        return null;
    }

    /// <summary>Takes the edge out of steering until a valid row brings it back, and records why.</summary>
    private void LeaveOut(string edgeId, string problem)
    {
        if (fleet.Remove(edgeId))
        {
            replanner.Request();
            Changed();
        }
        problems.Set(edgeId, problem);
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Error, "Fleet sync failed; steering keeps its last snapshot")]
        public static partial void SyncFailed(ILogger logger, Exception exception);

        [LoggerMessage(224, LogLevel.Warning, "The planning lease was not given up; another instance plans once it expires")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception);
    }
}
