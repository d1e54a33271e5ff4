namespace OpenCdn.Steering.Fill;

/// <summary>How fill plans are cut (bound from <c>OpenCdn:Fill</c>).</summary>
internal sealed class FillOptions
{
    /// <summary>Share of each edge's disk left free (for files in flight, logs, the filesystem's own needs).</summary>
    public double DiskHeadroom { get; set; } = 0.10;

    /// <summary>
    /// Hysteresis: a title the last plan of a cut held counts its value times 1 + this, so a candidate replaces it only
    /// when worth that much more. Every swap is an eviction now and a fill later; without a margin, titles near the
    /// boundary swap on noise in each ISP's plays. The fleet simulator (docs/fleet-sim) measured the default.
    /// </summary>
    public double HoldMargin { get; set; } = 0.5;

    /// <summary>
    /// Split the catalog between the edges of one group (an ISP's embedded edges, an exchange's IX edges), as Open
    /// Connect does within a site: each title on as few of them as its demand needs, chosen by rendezvous hashing, and
    /// steering sends each play to an edge of the group that holds it. An ISP of ten edges at 10 % of the catalog then
    /// holds up to 90 % of it instead of the same 9 % ten times. Off: the edges of one kind, group and disk share one
    /// plan (the most valuable titles that fit one disk).
    /// </summary>
    public bool ShardWithinGroup { get; set; } = true;

    /// <summary>
    /// With <see cref="ShardWithinGroup"/>: how much of one edge's share of its group's expected bytes a title may need
    /// before it gets another copy in the group. A title expected to carry 12 % of a ten-edge ISP's bytes needs 1.2 edges'
    /// shares, so 3 copies at 0.5 (each then carries 4 %, 40 % of an edge's share).
    /// </summary>
    public double ReplicaLoad { get; set; } = 0.5;

    /// <summary>Peer edges listed per item before origin.</summary>
    public int MaxPeers { get; set; } = 2;

    /// <summary>
    /// When no peer of a group holds a title, one edge (its seeder) fetches it from origin; the others wait for it this
    /// long after their plan was cut before they may use origin too (the seeder being down or slow). Keep it under
    /// <see cref="MaxPlanAge"/>: a reissued plan is cut anew, so a longer wait would never end for a seeder that is up but stuck.
    /// </summary>
    public TimeSpan SeedWait { get; set; } = TimeSpan.FromHours(18);

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
        : HoldMargin is < 0 or > 100 ? "HoldMargin must be in [0, 100]."
        : SeedWait < TimeSpan.Zero || SeedWait >= MaxPlanAge ? "SeedWait must be at least 0 and under MaxPlanAge."
        : ReplicaLoad is <= 0 or > 1 ? "ReplicaLoad must be in (0, 1]."
        : MaxPeers < 0 ? "MaxPeers cannot be negative."
        : MaxConsecutiveMisfits < 1 ? "MaxConsecutiveMisfits must be at least 1."
        : null;
}
