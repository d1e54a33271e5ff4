using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace OpenCdn.Infra.Storage;

/// <summary>
/// Origin storage: masters under <c>masters/</c>, packages under <c>titles/</c> (OriginKeys in the contracts). Private
/// (edges download through presigned URLs only), encrypted at rest, TLS only. Masters are read once per transcode, so
/// they move to Infrequent Access after a month; multipart uploads a crashed writer left behind are removed after a week.
/// </summary>
internal sealed class OriginBucket : Construct
{
    public const string MastersPrefix = "masters/";
    public const string TitlesPrefix = "titles/";
    public const string UploadsPrefix = "uploads/";

    public OriginBucket(Construct scope, string id) : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "masters-to-infrequent-access",
                    Prefix = MastersPrefix,
                    Transitions = [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(30) }],
                },
                new LifecycleRule { Id = "abort-incomplete-multipart", AbortIncompleteMultipartUploadAfter = Duration.Days(7) },
            ],
        });
    }

    public Bucket Bucket { get; }

    public string Objects(string prefix) => Bucket.ArnForObjects(prefix + "*");
}
