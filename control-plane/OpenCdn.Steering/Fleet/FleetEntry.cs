namespace OpenCdn.Steering.Fleet;

/// <summary>The builder's mutable record of one edge; <see cref="State"/> caches what the last snapshot used.</summary>
internal sealed class FleetEntry(EdgeDescriptor descriptor)
{
    public EdgeDescriptor Descriptor { get; set; } = descriptor;

    public EdgeLive? Live { get; set; }

    public EdgeInventory Inventory { get; set; } = EdgeInventory.Empty;

    public bool Draining { get; set; }

    public EdgeState? State { get; set; }
}
