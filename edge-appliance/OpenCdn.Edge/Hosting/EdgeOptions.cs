using System.ComponentModel.DataAnnotations;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Edge.Hosting;

/// <summary>Everything an operator sets for one appliance: section <c>OpenCdn:Edge</c> (the README lists every key).</summary>
internal sealed class EdgeOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Edge";

    /// <summary>Identity, keys, plan, catalog and content live here; the only path the service writes.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    /// <summary>Where the control plane is; without it the edge serves what it holds and never fills.</summary>
    public Uri? ControlPlaneUrl { get; set; }

    public string? BootstrapToken { get; set; }

    public Uri? PublicUrl { get; set; }

    [Required]
    public string Name { get; set; } = Environment.MachineName;

    public EdgeSiteKind SiteKind { get; set; } = EdgeSiteKind.Embedded;

    public int? Asn { get; set; }

    public string? Isp { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public IList<string> ClientPrefixes { get; } = [];

    /// <summary>The most content bytes the appliance may hold.</summary>
    [Range(1, long.MaxValue)]
    public long DiskCapacityBytes { get; set; } = 100L * 1024 * 1024 * 1024;

    /// <summary>Kept free below the capacity and below the file system's free space.</summary>
    [Range(0, long.MaxValue)]
    public long DiskHeadroomBytes { get; set; } = 1024L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long EgressCapacityBitsPerSecond { get; set; } = 10_000_000_000;

    public TimeOnly FillWindowStart { get; set; } = FillWindow.Default.Start;

    /// <summary>Equal to the start: the window is the whole day.</summary>
    public TimeOnly FillWindowEnd { get; set; } = FillWindow.Default.End;

    [Required]
    public string FillWindowTimeZone { get; set; } = FillWindow.Default.TimeZone;

    /// <summary>Fill rate cap in bytes per second over all downloads; 0 means no cap.</summary>
    [Range(0, long.MaxValue)]
    public long FillRateBytesPerSecond { get; set; } = 50_000_000;

    [Range(1, 16)]
    public int FillConcurrency { get; set; } = 3;

    public TimeSpan FillPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a download may go without receiving a byte before the source counts as down.</summary>
    public TimeSpan FillIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Re-hash rate of the background scrubber in bytes per second; 0 turns it off.</summary>
    [Range(0, long.MaxValue)]
    public long ScrubBytesPerSecond { get; set; } = 20_000_000;

    /// <summary>Pause between two full scrub passes.</summary>
    public TimeSpan ScrubInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// A player that takes less than <see cref="Serving.Direct.SocketFileSender.StallChunkBytes"/> of a response in this
    /// time is disconnected (nginx's <c>send_timeout</c>): a client that stops reading does not hold a connection forever.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// HTTPS endpoints do their TLS with OpenSSL and answer the common content request below Kestrel's HTTP layer (the
    /// direct TLS path); false leaves every HTTPS connection to Kestrel's <c>SslStream</c>.
    /// </summary>
    public bool DirectTls { get; set; } = true;

    /// <summary>
    /// On the direct TLS path, connections that chose HTTP/2 are served by the edge's own HTTP/2 (the common content
    /// request from the file, every other request through Kestrel's full path); false hands them to Kestrel's HTTP/2.
    /// </summary>
    public bool DirectHttp2 { get; set; } = true;

    /// <summary>
    /// Kernel TLS on the direct TLS path: <c>Auto</c> lets the kernel encrypt what connections send (file bodies then go
    /// with <c>sendfile(2)</c>) when the start-up probe finds its <c>tls</c> module; <c>Off</c> keeps every record in
    /// OpenSSL; <c>Always</c> asks for it without the probe (a connection the kernel refuses stays in OpenSSL).
    /// </summary>
    public KernelTlsMode KernelTls { get; set; } = KernelTlsMode.Auto;

    /// <summary>Web origins whose players may fetch content (CORS); empty means none.</summary>
    public IList<string> CorsOrigins { get; } = [];

    /// <summary><c>max-age</c> of content responses; packages are immutable (a new version is a new path).</summary>
    [Range(0, int.MaxValue)]
    public int CacheMaxAgeSeconds { get; set; } = 31_536_000;

    public FillWindow FillWindow => new(FillWindowStart, FillWindowEnd, FillWindowTimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(FillWindowTimeZone, out _))
        {
            yield return new ValidationResult(
                $"Unknown time zone '{FillWindowTimeZone}': use an IANA id such as Europe/Paris.", [nameof(FillWindowTimeZone)]);
        }
        if (ControlPlaneUrl is not null && PublicUrl is null)
        {
            yield return new ValidationResult(
                "PublicUrl is required when ControlPlaneUrl is set: it is what the control plane hands to players.", [nameof(PublicUrl)]);
        }
        if (DiskHeadroomBytes >= DiskCapacityBytes)
        {
            yield return new ValidationResult("DiskHeadroomBytes must be smaller than DiskCapacityBytes.", [nameof(DiskHeadroomBytes)]);
        }
        if (HeartbeatInterval <= TimeSpan.Zero || FillPollInterval <= TimeSpan.Zero || FillIdleTimeout <= TimeSpan.Zero
            || ScrubInterval <= TimeSpan.Zero || SendTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Intervals and timeouts must be positive.", [nameof(HeartbeatInterval)]);
        }
    }
}
