namespace OpenCdn.Steering.Fill;

/// <summary>How fill plans are cut (bound from <c>OpenCdn:Fill</c>).</summary>
internal sealed class FillOptions
{
    /// <summary>Share of each edge's disk left free (for files in flight, logs, the filesystem's own needs).</summary>
    public double DiskHeadroom { get; set; } = 0.10;

    /// <summary>Peer edges listed per item before origin.</summary>
    public int MaxPeers { get; set; } = 2;

    /// <summary>A plan stops looking for smaller titles to fill the last gap after this many in a row did not fit.</summary>
    public int MaxConsecutiveMisfits { get; set; } = 256;

    /// <summary>
    /// A plan is reissued under a new version at least this often, even when its packages stay the same, so that the
    /// time-limited origin URLs an edge holds are renewed before they run out (keep it well under their lifetime).
    /// </summary>
    public TimeSpan MaxPlanAge { get; set; } = TimeSpan.FromDays(1);

    public string? Validate() =>
        MaxPlanAge <= TimeSpan.Zero ? "MaxPlanAge must be positive."
        : DiskHeadroom is < 0 or >= 1 ? "DiskHeadroom must be in [0, 1)."
        : MaxPeers < 0 ? "MaxPeers cannot be negative."
        : MaxConsecutiveMisfits < 1 ? "MaxConsecutiveMisfits must be at least 1."
        : null;
}
