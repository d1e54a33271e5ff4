using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.ControlPlane;

/// <summary>Gathers one heartbeat: health, load (connections, egress rate since the last one), free disk, inventory, fill progress.</summary>
internal sealed class HeartbeatBuilder(
    EdgeMetrics metrics, DiskBudget disk, Inventory inventory, FillProgressTracker progress, KeyRing keys, EdgeStatus status, TimeProvider time)
{
    private long _lastEgressBytes;
    private long _lastStamp = time.GetTimestamp();

    /// <summary>The heartbeat and the inventory number to confirm with <see cref="Inventory.Reported"/> once it was accepted.</summary>
    public (EdgeHeartbeat Heartbeat, long InventoryNumber) Build()
    {
        var now = time.GetTimestamp();
        var seconds = Math.Max(0.001, time.GetElapsedTime(_lastStamp, now).TotalSeconds);
        var egress = metrics.EgressBytes;
        var bitsPerSecond = (long)((egress - _lastEgressBytes) * 8 / seconds);
        (_lastEgressBytes, _lastStamp) = (egress, now);
        var health = status.Draining ? EdgeHealth.Draining : !keys.HasLiveKey ? EdgeHealth.Degraded : EdgeHealth.Healthy;
        var (number, items) = inventory.Snapshot();
        var heartbeat = new EdgeHeartbeat(health, (int)metrics.ActiveConnections, bitsPerSecond, disk.Available(), items, progress.Current);
        return (heartbeat, number);
    }
}
