using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Platform.Storage;

public enum StorageKind
{
    FileSystem,
    S3,
}

/// <summary><c>OpenCdn:Storage</c>: where origin objects live.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Storage";

    public StorageKind Kind { get; set; } = StorageKind.FileSystem;

    /// <summary>FileSystem: the folder; defaults to <c>{DataFolder}/origin</c>.</summary>
    public string? Root { get; set; }

    /// <summary>FileSystem: the public URL of the control plane's origin endpoint, for signed download URLs.</summary>
    public Uri OriginUrl { get; set; } = new("http://127.0.0.1:5080/origin");

    public S3StorageOptions S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == StorageKind.S3 && string.IsNullOrWhiteSpace(S3.Bucket))
        {
            yield return new ValidationResult("OpenCdn:Storage:S3:Bucket is required when OpenCdn:Storage:Kind is S3.");
        }
        if (S3.PartSizeMiB is < 5 or > 512)
        {
            yield return new ValidationResult("OpenCdn:Storage:S3:PartSizeMiB must be between 5 and 512.");
        }
    }
}

/// <summary><c>OpenCdn:Storage:S3</c>: any S3-compatible endpoint. Credentials fall back to the AWS default chain when not set.</summary>
public sealed class S3StorageOptions
{
    public string Bucket { get; set; } = "";

    /// <summary>An S3-compatible endpoint (e.g. a local emulator); unset for AWS itself.</summary>
    public Uri? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public bool ForcePathStyle { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Objects larger than one part go up as multipart uploads of this many MiB per part.</summary>
    public int PartSizeMiB { get; set; } = 8;
}
