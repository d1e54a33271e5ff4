using OpenCdn.Contracts.Edges;
using OpenCdn.FleetSim.Model;

namespace OpenCdn.FleetSim.Push;

/// <summary>
/// The state a push edge keeps, as the appliance does: complete packages (its inventory), partial downloads it resumes,
/// bytes on disk, and the plan version it works on.
/// </summary>
internal sealed class PushEdge(SimEdge edge, int titles)
{
    private InventoryItem[]? _inventory;

    public SimEdge Edge { get; } = edge;

    public bool[] Held { get; } = new bool[titles];

    public HashSet<int> HeldSet { get; } = [];

    public Dictionary<int, Partial> Partials { get; } = [];

    public long Used { get; set; }

    public int PlanVersion { get; set; } = -1;

    /// <summary>Nothing more of this plan version fits or is missing (until the plan changes or the disk is lost).</summary>
    public bool Done { get; set; }

    /// <summary>Bytes served in the last hour (its egress in the next heartbeat).</summary>
    public double ServedLastHour { get; set; }

    public double ServedThisHour { get; set; }

    /// <summary>The inventory the heartbeat reports: complete packages only.</summary>
    public IReadOnlyList<InventoryItem> Inventory(InventoryItem[] items)
    {
        if (_inventory is null)
        {
            var list = new InventoryItem[HeldSet.Count];
            var i = 0;
            foreach (var title in HeldSet)
            {
                list[i++] = items[title];
            }
            _inventory = list;
        }
        return _inventory;
    }

    public void Complete(int title)
    {
        Partials.Remove(title);
        Held[title] = true;
        HeldSet.Add(title);
        _inventory = null;
    }

    public void Evict(int title, long bytes)
    {
        Held[title] = false;
        HeldSet.Remove(title);
        Used -= bytes;
        _inventory = null;
    }

    /// <summary>The disk was replaced: it comes back empty.</summary>
    public void Wipe()
    {
        Array.Clear(Held);
        HeldSet.Clear();
        Partials.Clear();
        Used = 0;
        PlanVersion = -1;
        Done = false;
        _inventory = null;
    }

    internal sealed class Partial(long done, bool fromPeer)
    {
        public long Done { get; set; } = done;

        public bool FromPeer { get; } = fromPeer;
    }
}
