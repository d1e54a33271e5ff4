using Amazon.Runtime;
using Amazon.S3;

namespace OpenCdn.Testing;

/// <summary>s3rver with one bucket, <see cref="Bucket"/>, over a temp folder.</summary>
public sealed class S3Emulator : LocalServiceEmulator
{
    public const string AccessKey = "S3RVER";
    public const string Bucket = "opencdn-test";
    private readonly TempFolder _folder = new();

    protected override string Script => "s3-server.js";

    protected override IEnumerable<string> Arguments => [_folder.Path, Bucket];

    /// <summary>A client configured the way the product configures one for an S3-compatible endpoint.</summary>
    public AmazonS3Client CreateClient(string accessKey = AccessKey) => new(
        new BasicAWSCredentials(accessKey, "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = ServiceUrl.AbsoluteUri,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>Configuration keys that point a service at this emulator.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OpenCdn:Storage:Kind"] = "S3",
        ["OpenCdn:Storage:S3:Bucket"] = Bucket,
        ["OpenCdn:Storage:S3:ServiceUrl"] = ServiceUrl.AbsoluteUri,
        ["OpenCdn:Storage:S3:ForcePathStyle"] = "true",
        ["OpenCdn:Storage:S3:AccessKey"] = AccessKey,
        ["OpenCdn:Storage:S3:SecretKey"] = "S3RVER",
    };
}
