using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.FleetSim;

/// <summary>
/// Every knob of one simulation. The defaults are the scale (1,000 edges, 10 million plays in the measured
/// month) and the product's own defaults for the planner (<see cref="HalfLife"/>, <see cref="LaunchBoost"/>,
/// <see cref="DiskHeadroom"/>), so a run shows what the shipped settings do.
/// </summary>
internal sealed record SimOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Measured days (the month); the report covers these.</summary>
    public int Days { get; init; } = 30;

    /// <summary>
    /// Days simulated before the month, unreported: edges and caches start empty and popularity has no history. Two
    /// weeks, so that the pull caches are full, or nearly, when the month starts (with one, they were not: neither
    /// policy had evicted anything, and LRU and LFU-DA could not differ).
    /// </summary>
    public int WarmupDays { get; init; } = 14;

    /// <summary>Plays in the measured days; the warm-up has the same daily rate.</summary>
    public long Plays { get; init; } = 10_000_000;

    public int Titles { get; init; } = 10_000;

    /// <summary>
    /// Zipf exponent of title popularity. 0.8 is the value used for video-on-demand catalogs in the caching literature
    /// (e.g. Fricker, Robert, Roberts and Sbihi, "Impact of traffic mix on caching performance", INFOCOM 2012);
    /// measured VoD exponents range from about 0.6 to 1.
    /// </summary>
    public double ZipfExponent { get; init; } = 0.8;

    /// <summary>Titles that launch every week (on Fridays, 00:00 UTC); as many of the least played old ones retire.</summary>
    public int ReleasesPerWeek { get; init; } = 60;

    /// <summary>Day-to-day popularity noise (standard deviation of the log of a title's daily factor).</summary>
    public double DailyChurn { get; init; } = 0.15;

    /// <summary>Embedded edges in total, spread over <see cref="Isps"/> ISPs by ISP size.</summary>
    public int EmbeddedEdges { get; init; } = 960;

    public int Isps { get; init; } = 96;

    /// <summary>IX edges per exchange; one exchange per time zone of the fleet.</summary>
    public int IxEdgesPerSite { get; init; } = 5;

    /// <summary>An embedded edge's disk as a share of the catalog's bytes (every rendition of every title).</summary>
    public double EmbeddedDiskShare { get; init; } = 0.10;

    public double IxDiskShare { get; init; } = 0.50;

    /// <summary>An embedded edge's egress capacity against its share of its ISP's expected peak hour.</summary>
    public double EgressHeadroom { get; init; } = 1.4;

    /// <summary>The edge's fill rate cap (the appliance's <c>FillRateBytesPerSecond</c> default).</summary>
    public long FillRateBytesPerSecond { get; init; } = 50_000_000;

    /// <summary>The edge's fill window, local time (the appliance's default, 02:00–14:00).</summary>
    public int FillStartHour { get; init; } = 2;

    public int FillEndHour { get; init; } = 14;

    /// <summary>The evening peak, local time, for "peak-hour fill": [start, end).</summary>
    public int PeakStartHour { get; init; } = 19;

    public int PeakEndHour { get; init; } = 23;

    /// <summary>Outages per edge per 30 days (each 1–24 h; one in ten replaces the disk, which comes back empty).</summary>
    public double OutagesPerEdgeMonth { get; init; } = 0.5;

    /// <summary>How often the planner runs (the control plane's <c>PlanInterval</c> is 5 minutes; see the README).</summary>
    public TimeSpan PlanInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>OpenCdn:Popularity:HalfLife</c> (the product's default unless set).</summary>
    public TimeSpan HalfLife { get; init; } = new PopularityOptions().HalfLife;

    /// <summary><c>OpenCdn:Popularity:DefaultLaunchBoost</c>, in plays (the product's default unless set).</summary>
    public double LaunchBoost { get; init; } = new PopularityOptions().DefaultLaunchBoost;

    /// <summary><c>OpenCdn:Fill:DiskHeadroom</c> (the product's default unless set); the pull caches get the same share of their disk.</summary>
    public double DiskHeadroom { get; init; } = new FillOptions().DiskHeadroom;

    /// <summary><c>OpenCdn:Fill:HoldMargin</c> (the product's default unless set): the planner's hysteresis.</summary>
    public double HoldMargin { get; init; } = new FillOptions().HoldMargin;

    /// <summary><c>OpenCdn:Fill:ShardWithinGroup</c> (the product's default unless set): a group's edges split the catalog.</summary>
    public bool Shard { get; init; } = new FillOptions().ShardWithinGroup;

    /// <summary><c>OpenCdn:Fill:ReplicaLoad</c> (the product's default unless set).</summary>
    public double ReplicaLoad { get; init; } = new FillOptions().ReplicaLoad;

    /// <summary>Transit price, per GB (USD).</summary>
    public double TransitPricePerGb { get; init; } = 0.002;

    /// <summary>Disk price, per TB per month (USD, appliance flash/disk amortised).</summary>
    public double DiskPricePerTbMonth { get; init; } = 20;

    /// <summary>Runs the pull baselines too (LRU and LFU-DA); off for the disk sweep's push-only points.</summary>
    public bool WithPull { get; init; } = true;

    public int TotalDays => WarmupDays + Days;

    public int TotalHours => TotalDays * 24;

    public string? Validate() =>
        Days < 1 || WarmupDays < 0 ? "--days must be at least 1 and --warmup at least 0."
        : Plays < Days ? "--plays must be at least one a day."
        : Titles < 100 ? "--titles must be at least 100."
        : ZipfExponent is <= 0 or > 3 ? "--zipf must be in (0, 3]."
        : EmbeddedEdges < Isps || Isps < 8 ? "--isps must be at least 8 and --edges at least --isps."
        : EmbeddedDiskShare is <= 0 or > 1 || IxDiskShare is <= 0 or > 1 ? "disk shares must be in (0, 1]."
        : FillStartHour is < 0 or > 23 || FillEndHour is < 0 or > 23 ? "fill hours must be 0–23."
        : ReplicaLoad is <= 0 or > 1 ? "--replica-load must be in (0, 1]."
        : PlanInterval < TimeSpan.FromHours(1) || PlanInterval.Ticks % TimeSpan.TicksPerHour != 0 ? "--plan-every must be whole hours."
        : null;
}
