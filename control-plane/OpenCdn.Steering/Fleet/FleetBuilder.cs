using System.Collections.Frozen;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// The one mutable view of the fleet and catalog: registrations, heartbeats, drains and catalog changes land here
/// (thread-safe), and <see cref="Build"/> turns the current state into a <see cref="FleetSnapshot"/>. Prefix, geo and
/// IX maps are rebuilt only when registrations or the geo table change; a heartbeat-only build reuses them.
/// </summary>
internal sealed class FleetBuilder(SteeringOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Lock _buildGate = new();
    private readonly List<FleetEntry> _edges = [];
    private readonly Dictionary<string, FleetEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _titleIndex = new(StringComparer.Ordinal);
    private readonly List<CatalogTitle?> _titles = [];
    private FrozenDictionary<string, int> _titleView = FrozenDictionary<string, int>.Empty;
    private CatalogIndex _catalog = CatalogIndex.Empty;
    private IReadOnlyList<GeoArea> _geo = [];
    private bool _structureChanged = true;
    private FleetSnapshot? _last;
    private long _generation;

    /// <summary>Adds an edge, or replaces the descriptor of a known id (keeping its live state).</summary>
    public void Register(EdgeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (_gate)
        {
            if (_byId.TryGetValue(descriptor.Id, out var entry))
            {
                entry.Descriptor = descriptor;
                entry.State = null;
            }
            else
            {
                entry = new FleetEntry(descriptor);
                _byId.Add(descriptor.Id, entry);
                _edges.Add(entry);
            }
            _structureChanged = true;
        }
    }

    public bool Remove(string edgeId)
    {
        lock (_gate)
        {
            if (!_byId.Remove(edgeId, out var entry))
            {
                return false;
            }
            _edges.Remove(entry);
            _structureChanged = true;
            return true;
        }
    }

    /// <summary>Records a heartbeat received now; false for an unknown edge.</summary>
    public bool Heartbeat(string edgeId, EdgeHeartbeat heartbeat) => Heartbeat(edgeId, heartbeat, time.GetUtcNow());

    /// <summary>
    /// Records a heartbeat received at <paramref name="receivedAt"/> (one read back from the catalog, say, that another
    /// control-plane instance took); an older one than the edge's latest changes nothing. False for an unknown edge.
    /// </summary>
    public bool Heartbeat(string edgeId, EdgeHeartbeat heartbeat, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        // Compiled outside the lock, against the catalog as it is now (and again if it changes while items do not match),
        // looking up only the items that changed since the edge's last inventory.
        var inventory = EdgeInventory.Compile(heartbeat.Inventory, Volatile.Read(ref _catalog), LastInventory(edgeId));
        var live = new EdgeLive(receivedAt, heartbeat.Health, heartbeat.ActiveConnections, heartbeat.EgressBitsPerSecond,
            heartbeat.FreeDiskBytes, heartbeat.Fill);
        return Update(edgeId, entry =>
        {
            if (entry.Live is null || entry.Live.ReceivedAt <= receivedAt)
            {
                entry.Live = live;
                entry.Inventory = inventory;
                entry.Unmatched = inventory.Count < heartbeat.Inventory.Count ? heartbeat.Inventory : null;
            }
        });
    }

    /// <summary>An admin's drain: the edge keeps its sessions' pathways until they re-rank, but gets no new ones.</summary>
    public bool SetDraining(string edgeId, bool draining) => Update(edgeId, entry => entry.Draining = draining);

    /// <summary>Replaces the geo table (client prefix → location and region).</summary>
    public void SetGeo(IReadOnlyList<GeoArea> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        lock (_gate)
        {
            _geo = [.. areas];
            _structureChanged = true;
        }
    }

    /// <summary>Replaces the catalog: the ready titles with their current package; any title not listed is retired.</summary>
    public void SetCatalog(IEnumerable<CatalogTitle> titles)
    {
        ArgumentNullException.ThrowIfNull(titles);
        lock (_gate)
        {
            for (var i = 0; i < _titles.Count; i++)
            {
                _titles[i] = null;
            }
            foreach (var title in titles)
            {
                _titles[IndexOf(title.TitleId)] = title;
            }
            CatalogChanged();
        }
    }

    /// <summary>Adds a title or moves it to a new package version.</summary>
    public void Upsert(CatalogTitle title) => Change([title], []);

    /// <summary>Retires a title: from the next snapshot on it is in no decision and no fill plan.</summary>
    public void Retire(string titleId) => Change([], [titleId]);

    /// <summary>
    /// Adds or moves <paramref name="upserts"/> and retires <paramref name="retired"/> in one catalog change (one
    /// rebuild of the index).
    /// </summary>
    public void Change(IReadOnlyCollection<CatalogTitle> upserts, IReadOnlyCollection<string> retired)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(retired);
        lock (_gate)
        {
            var changed = false;
            foreach (var title in upserts)
            {
                _titles[IndexOf(title.TitleId)] = title;
                changed = true;
            }
            foreach (var titleId in retired)
            {
                if (_titleIndex.TryGetValue(titleId, out var index) && _titles[index] is not null)
                {
                    _titles[index] = null;
                    changed = true;
                }
            }
            if (changed)
            {
                CatalogChanged();
            }
        }
    }

    public FleetSnapshot Build()
    {
        lock (_buildGate)
        {
            EdgeState[] edges;
            IReadOnlyList<GeoArea> geo;
            bool structureChanged;
            CatalogIndex catalog;
            lock (_gate)
            {
                edges = new EdgeState[_edges.Count];
                for (var i = 0; i < edges.Length; i++)
                {
                    var entry = _edges[i];
                    entry.State = entry.State is { } state && state.Index == i
                        ? state
                        : new EdgeState(i, entry.Descriptor, entry.Live, entry.Inventory, entry.Draining);
                    edges[i] = entry.State;
                }
                (structureChanged, _structureChanged) = (_structureChanged, false);
                catalog = _catalog;
                geo = _geo;
            }
            var last = _last;
            var snapshot = structureChanged || last is null
                ? FleetMaps.Build(++_generation, time.GetUtcNow(), options, edges, geo, catalog)
                : last with
                {
                    Generation = ++_generation,
                    BuiltAt = time.GetUtcNow(),
                    Edges = edges,
                    IxHoldings = SiteHoldings.Build(last.Ix, edges),
                    Catalog = catalog,
                };
            _last = snapshot;
            return snapshot;
        }
    }

    private bool Update(string edgeId, Action<FleetEntry> change)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(edgeId, out var entry))
            {
                return false;
            }
            change(entry);
            entry.State = null;
            return true;
        }
    }

    private EdgeInventory? LastInventory(string edgeId)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(edgeId, out var entry) ? entry.Inventory : null;
        }
    }

    private int IndexOf(string titleId)
    {
        if (!_titleIndex.TryGetValue(titleId, out var index))
        {
            index = _titles.Count;
            _titleIndex.Add(titleId, index);
            _titles.Add(null);
        }
        return index;
    }

    private void CatalogChanged()
    {
        if (_titleView.Count != _titleIndex.Count)
        {
            _titleView = _titleIndex.ToFrozenDictionary(StringComparer.Ordinal);
        }
        var catalog = new CatalogIndex(_titleView, [.. _titles.Select(t => t?.Version ?? 0)], [.. _titles], [.. _titles.OfType<CatalogTitle>()]);
        Volatile.Write(ref _catalog, catalog);
        // An edge may report a package just before the catalog learns of it (another instance saw it first).
        foreach (var entry in _edges.Where(e => e.Unmatched is not null))
        {
            entry.Inventory = EdgeInventory.Compile(entry.Unmatched!, catalog);
            entry.Unmatched = entry.Inventory.Count < entry.Unmatched!.Count ? entry.Unmatched : null;
            entry.State = null;
        }
    }
}
