using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.RateLimits;

/// <summary>
/// <c>OpenCdn:RateLimits</c>: how often one client address (the connection's, or the forwarded one from
/// <c>OpenCdn:Playback:TrustedProxies</c>) may try to sign in, enrol an edge or start a playback session.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "OpenCdn:RateLimits";

    /// <summary>Failed sign-ins per address per minute; the next attempt gets 429 until the minute is over.</summary>
    [Range(1, 1_000_000)]
    public int SignInFailuresPerAddress { get; set; } = 20;

    /// <summary>
    /// Failed sign-ins per user name (from any address) per <see cref="SignInUserWindow"/>: then the name is locked out
    /// for the rest of it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SignInFailuresPerUser { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignInUserWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Edge registration attempts per address per minute.</summary>
    [Range(1, 1_000_000)]
    public int EdgeRegistrationsPerAddress { get; set; } = 10;

    /// <summary>Playback sessions started per address per minute (many viewers can share one address behind NAT).</summary>
    [Range(1, 1_000_000)]
    public int PlaybackSessionsPerAddress { get; set; } = 120;
}
