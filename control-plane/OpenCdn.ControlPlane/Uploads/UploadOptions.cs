using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary><c>OpenCdn:Upload</c>: limits of master uploads.</summary>
public sealed class UploadOptions
{
    public const string Section = "OpenCdn:Upload";

    /// <summary>The largest master accepted, in bytes (default 100 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxSizeBytes { get; set; } = 100L << 30;

    /// <summary>An upload with no activity for this long expires and its partial data is removed.</summary>
    public TimeSpan ExpiresAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired uploads are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Where partial uploads are kept when origin is a folder; defaults to <c>{DataFolder}/uploads</c>. With S3 they wait in the
    /// bucket as multipart uploads (see <see cref="MultipartUploadStaging"/>).
    /// </summary>
    public string? StagingFolder { get; set; }
}
