using System.ComponentModel.DataAnnotations;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary><c>OpenCdn:Fleet</c>: how often the control plane brings its in-memory fleet and fill plans up to date.</summary>
public sealed class FleetOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Fleet";

    /// <summary>How often changes in the catalog database (other instances' heartbeats, finished titles) reach steering.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often fill plans are recomputed when nothing else (a catalog change, a new edge) asked for it.</summary>
    public TimeSpan PlanInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the origin URLs in a fill plan stay valid; longer than <c>OpenCdn:Fill:MaxPlanAge</c>, so they are
    /// renewed in time.
    /// </summary>
    public TimeSpan FillUrlLifetime { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// How long the planning lease lasts: one instance plans fill for the fleet and renews it every sync pass; when it
    /// dies, another takes over once the lease expires (within two lease periods). At least three sync intervals.
    /// </summary>
    public TimeSpan PlanningLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often an instance adds the plays it counted to the fleet-wide popularity in the database. Each flush writes a
    /// row per title and region played since the last one, so a flush every second would cost the database (and the
    /// instance) a write for nearly every decision at fleet scale; plans are made every <see cref="PlanInterval"/>, from
    /// popularity with a half-life of a day, so a minute loses nothing they need. A shorter PlanInterval shortens it too.
    /// </summary>
    public TimeSpan PopularityFlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A CSV file placing client prefixes no edge covers (<c>prefix,latitude,longitude,region</c>); none: such clients
    /// get IX sites in registration order.
    /// </summary>
    public string? GeoTable { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SyncInterval < TimeSpan.FromMilliseconds(50) || PlanInterval < SyncInterval)
        {
            yield return new ValidationResult("OpenCdn:Fleet:SyncInterval must be at least 50 ms and PlanInterval at least SyncInterval.");
        }
        if (PlanningLease < 3 * SyncInterval || PlanningLease > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("OpenCdn:Fleet:PlanningLease must be at least three SyncIntervals and at most 10 minutes.");
        }
        if (PopularityFlushInterval < SyncInterval || PopularityFlushInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("OpenCdn:Fleet:PopularityFlushInterval must be between SyncInterval and 1 hour.");
        }
        if (GeoTable is not null && !File.Exists(GeoTable))
        {
            yield return new ValidationResult($"OpenCdn:Fleet:GeoTable: no file at '{GeoTable}'.");
        }
        if (FillUrlLifetime < TimeSpan.FromMinutes(10) || FillUrlLifetime > OriginUrlSigner.MaxLifetime)
        {
            yield return new ValidationResult("OpenCdn:Fleet:FillUrlLifetime must be between 10 minutes and 7 days (the longest S3 presigns).");
        }
    }
}
