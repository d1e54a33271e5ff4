using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.Stats;

/// <summary><c>OpenCdn:Stats</c>: how often an instance adds what it counted to the fleet's totals in the catalog database.</summary>
public sealed class StatsOptions
{
    public const string Section = "OpenCdn:Stats";

    /// <summary>
    /// Steering outcomes and QoE beacons counted here reach the database this often (and when the instance stops); a
    /// crash loses at most this much of this instance's counts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "OpenCdn:Stats:FlushInterval must be between 100 ms and 1 hour.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
