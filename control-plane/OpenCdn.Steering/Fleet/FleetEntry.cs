using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>The builder's mutable record of one edge; <see cref="State"/> caches what the last snapshot used.</summary>
internal sealed class FleetEntry(EdgeDescriptor descriptor)
{
    public EdgeDescriptor Descriptor { get; set; } = descriptor;

    public EdgeLive? Live { get; set; }

    public EdgeInventory Inventory { get; set; } = EdgeInventory.Empty;

    /// <summary>The last reported items while some of them did not match the catalog: compiled again when the catalog changes.</summary>
    public IReadOnlyList<InventoryItem>? Unmatched { get; set; }

    public bool Draining { get; set; }

    public EdgeState? State { get; set; }
}
