using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>One edge in a <see cref="FleetSnapshot"/>: its descriptor, last heartbeat, compiled inventory and drain flag.</summary>
internal sealed record EdgeState(int Index, EdgeDescriptor Descriptor, EdgeLive? Live, EdgeInventory Inventory, bool Draining)
{
    /// <summary>Egress as a share of egress capacity (0 with no heartbeat or no declared capacity).</summary>
    public double Load { get; } = Live is null || Descriptor.EgressCapacityBitsPerSecond <= 0
        ? 0
        : (double)Live.EgressBitsPerSecond / Descriptor.EgressCapacityBitsPerSecond;

    // Copied out of Live so that judging an edge reads this object only.
    private readonly long _heardTicks = Live?.ReceivedAt.UtcTicks ?? 0;
    private readonly EdgeHealth _reported = Live?.ReportedHealth ?? EdgeHealth.Healthy;

    /// <summary>Status at <paramref name="nowTicks"/> (UTC ticks); a silent edge turns down without a new snapshot.</summary>
    public EdgeStatus StatusAt(long nowTicks, long downAfterTicks, double loadCeiling)
    {
        if (Live is null || nowTicks - _heardTicks > downAfterTicks)
        {
            return EdgeStatus.Down;
        }
        if (Draining || _reported == EdgeHealth.Draining)
        {
            return EdgeStatus.Draining;
        }
        return _reported == EdgeHealth.Degraded || Load > loadCeiling ? EdgeStatus.Degraded : EdgeStatus.Healthy;
    }

    /// <summary>Spare share of capacity under the ceiling, the weight within a rank.</summary>
    public double Headroom(double loadCeiling) => Math.Max(0, loadCeiling - Load);
}
