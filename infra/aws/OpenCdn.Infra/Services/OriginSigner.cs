using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using OpenCdn.Infra.Storage;

namespace OpenCdn.Infra.Services;

/// <summary>
/// The control plane's S3 identity: an IAM user whose access key lives in Secrets Manager. Why not the task role: fill
/// plans hand edges presigned URLs valid for days (<c>OpenCdn:Fleet:FillUrlLifetime</c>, 2 days by default), and a URL
/// presigned with a role's temporary credentials stops working when those expire (hours). What it may do: store
/// uploaded masters (tus uploads go straight into a multipart upload of the master, with the tail past the last whole
/// part kept under <c>uploads/</c>), read masters and packages (package.json, posters, the origin
/// endpoint, what the presigned URLs open), list the bucket (missing keys then answer 404, not 403) and delete a retired
/// title's objects. Rotate the key by replacing <c>AccessKey</c> (change its <c>Serial</c>) and redeploying.
/// </summary>
internal sealed class OriginSigner : Construct
{
    public OriginSigner(Construct scope, string id, OriginBucket origin) : base(scope, id)
    {
        var user = new User(this, "User");
        user.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StoreAndRetireMasters",
            Actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject", "s3:DeleteObject"],
            Resources = [origin.Objects(OriginBucket.MastersPrefix)],
        }));
        user.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadAndRetirePackages",
            Actions = ["s3:GetObject", "s3:DeleteObject"],
            Resources = [origin.Objects(OriginBucket.TitlesPrefix)],
        }));
        user.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StageUploads",
            Actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject", "s3:DeleteObject"],
            Resources = [origin.Objects(OriginBucket.UploadsPrefix)],
        }));
        user.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ListOrigin",
            Actions = ["s3:ListBucket"],
            Resources = [origin.Bucket.BucketArn],
        }));
        var key = new AccessKey(this, "AccessKey", new AccessKeyProps { User = user, Serial = 1 });
        Credentials = new Amazon.CDK.AWS.SecretsManager.Secret(this, "Credentials", new SecretProps
        {
            Description = "OpenCdn control plane: S3 access key for origin storage and presigned fill URLs",
            SecretObjectValue = new Dictionary<string, SecretValue>
            {
                ["accessKeyId"] = SecretValue.UnsafePlainText(key.AccessKeyId),
                ["secretAccessKey"] = key.SecretAccessKey,
            },
        });
    }

    public Amazon.CDK.AWS.SecretsManager.ISecret Credentials { get; }
}
