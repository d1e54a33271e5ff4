namespace OpenCdn.Edge.ControlPlane;

/// <summary>What the control plane last said about this edge: whether to drain, and when it last answered.</summary>
internal sealed class EdgeStatus
{
    private volatile bool _draining;
    private long _lastContactTicks;

    public bool Draining
    {
        get => _draining;
        set => _draining = value;
    }

    public DateTimeOffset? LastContact =>
        Interlocked.Read(ref _lastContactTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Contacted(DateTimeOffset at) => Interlocked.Exchange(ref _lastContactTicks, at.UtcTicks);
}
