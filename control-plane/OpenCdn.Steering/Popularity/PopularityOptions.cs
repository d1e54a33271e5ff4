namespace OpenCdn.Steering.Popularity;

/// <summary>How plays turn into popularity (bound from <c>OpenCdn:Popularity</c>).</summary>
internal sealed class PopularityOptions
{
    /// <summary>
    /// A play counts half as much after this long. Three days, not one: with one day, embedded plans follow day-to-day
    /// noise in each ISP's plays, and every title that drops out of a plan is evicted and fetched again later. The fleet
    /// simulator (docs/fleet-sim) measured about 40 % less fill and transit for under one point of offload.
    /// </summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Plays' worth credited to a title at launch when its catalog entry sets none.</summary>
    public double DefaultLaunchBoost { get; set; }

    /// <summary>How fast the launch boost fades.</summary>
    public TimeSpan LaunchBoostHalfLife { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How much global popularity counts in a region's expected plays (regions with few plays lean on it).</summary>
    public double GlobalWeightInRegion { get; set; } = 0.1;

    /// <summary>
    /// A title whose decayed count falls under this many plays is forgotten (globally or in a region) at the next
    /// snapshot: it then ranks as never played there, and plans stop paying for it. 0.01 is one play about 20 days
    /// old at the default half-life.
    /// </summary>
    public double ForgetBelow { get; set; } = 0.01;

    /// <summary>
    /// Room for plays between folds (rounded up to a power of two, allocated once); beyond it plays are dropped and
    /// counted. Fold more often than this many decisions arrive.
    /// </summary>
    public int MaxPending { get; set; } = 1 << 18;

    public string? Validate() =>
        HalfLife <= TimeSpan.Zero || LaunchBoostHalfLife <= TimeSpan.Zero ? "Half-lives must be positive."
        : DefaultLaunchBoost < 0 || GlobalWeightInRegion < 0 ? "Boost and weights cannot be negative."
        : ForgetBelow is < 0 or > 1 ? "ForgetBelow must be in [0, 1]."
        : MaxPending < 1 ? "MaxPending must be at least 1."
        : null;
}
