using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using OpenCdn.Infra.Database;
using OpenCdn.Infra.Queue;
using OpenCdn.Infra.Storage;

namespace OpenCdn.Infra.Services;

/// <summary>
/// The configuration both services read (README, Configuration), as environment variables (<c>__</c> for <c>:</c>): S3
/// origin, SQS queue, PostgreSQL catalog. The database password comes from Secrets Manager, never as plain text.
/// </summary>
internal static class ServiceEnvironment
{
    public static Dictionary<string, string> Common(OriginBucket origin, JobQueue queue, CatalogDatabase catalog) => new()
    {
        ["OpenCdn__Storage__Kind"] = "S3",
        ["OpenCdn__Storage__S3__Bucket"] = origin.Bucket.BucketName,
        ["OpenCdn__Storage__S3__Region"] = Aws.REGION,
        ["OpenCdn__Queue__Kind"] = "Sqs",
        ["OpenCdn__Queue__Sqs__QueueUrl"] = queue.Jobs.QueueUrl,
        ["OpenCdn__Queue__Sqs__DeadLetterQueueUrl"] = queue.DeadLetters.QueueUrl,
        ["OpenCdn__Queue__Sqs__Region"] = Aws.REGION,
        ["ConnectionStrings__Catalog"] = catalog.ConnectionString,
        ["DOTNET_NOLOGO"] = "1",
    };

    public static Dictionary<string, Secret> CommonSecrets(CatalogDatabase catalog) => new()
    {
        ["PGPASSWORD"] = Secret.FromSecretsManager(catalog.Instance.Secret!, "password"),
    };
}
