using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Constructs;
using OpenCdn.Infra.Database;
using OpenCdn.Infra.Monitoring;
using OpenCdn.Infra.Queue;
using OpenCdn.Infra.Services;
using OpenCdn.Infra.Storage;

namespace OpenCdn.Infra;

/// <summary>
/// OpenCdn in cloud mode on AWS: the origin bucket, the job queue with its dead-letter queue, the PostgreSQL catalog,
/// control-plane instances behind an HTTPS load balancer and ingest workers scaled on the queue, all on ECS Fargate in
/// a VPC of their own, with the alarms an operator needs. Deployment choices are CloudFormation parameters; sizes are
/// CDK context values (<c>-c controlPlanes=2 -c maxWorkers=8</c>).
/// </summary>
public sealed class OpenCdnStack : Stack
{
    public OpenCdnStack(Construct scope, string id, IStackProps? props = null) : base(scope, id, props)
    {
        var certificateArn = Parameter("CertificateArn", "ACM certificate (its ARN) for the load balancer's HTTPS listener");
        var publicUrl = Parameter("PublicUrl", "The control plane's address as players reach it, e.g. https://cdn.example.com");
        var controlPlaneRepository = Parameter(
            "ControlPlaneRepository", "ECR repository of the control-plane image", "opencdn-control-plane");
        var workerRepository = Parameter("WorkerRepository", "ECR repository of the ingest-worker image", "opencdn-ingest");
        var imageTag = Parameter("ImageTag", "Tag of both images (the release to run)");
        var keyEncryptionKey = Parameter("KeyEncryptionKeySecret",
            "Secrets Manager secret (name) holding OpenCdn:Keys:EncryptionKey, base64 of 32 random bytes", "opencdn/key-encryption-key");

        var vpc = new Vpc(this, "Network", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 1,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "services", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 22 },
                new SubnetConfiguration { Name = "database", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
            ],
            // Origin traffic (masters in, packages out) stays off the NAT gateway.
            GatewayEndpoints = new Dictionary<string, IGatewayVpcEndpointOptions>
            {
                ["S3"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 },
            },
        });
        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = vpc, ContainerInsights = true });

        var origin = new OriginBucket(this, "Origin");
        var queue = new JobQueue(this, "Queue");
        var catalog = new CatalogDatabase(this, "Catalog", vpc);

        ControlPlane = new ControlPlaneService(this, "ControlPlane", new ControlPlaneServiceProps(
            vpc, cluster, Image("ControlPlaneImages", controlPlaneRepository, imageTag), origin, queue, catalog,
            certificateArn.ValueAsString, publicUrl.ValueAsString,
            Amazon.CDK.AWS.SecretsManager.Secret.FromSecretNameV2(this, "KeyEncryptionKey", keyEncryptionKey.ValueAsString),
            ContextNumber("controlPlanes", 2)));
        Workers = new WorkerService(this, "Workers", new WorkerServiceProps(
            cluster, Image("WorkerImages", workerRepository, imageTag), origin, queue, catalog, ContextNumber("maxWorkers", 8)));
        var alarms = new Alarms(this, "Alarms", queue.DeadLetters, ControlPlane.Service.LoadBalancer);

        Output("LoadBalancerDns", ControlPlane.Service.LoadBalancer.LoadBalancerDnsName, "point the PublicUrl's DNS name here");
        Output("OriginBucket", origin.Bucket.BucketName, "origin storage");
        Output("JobQueueUrl", queue.Jobs.QueueUrl, "transcode jobs");
        Output("DeadLetterQueueUrl", queue.DeadLetters.QueueUrl, "jobs that failed every attempt");
        Output("AlarmTopic", alarms.Topic.TopicArn, "subscribe to receive the alarms");
    }

    internal ControlPlaneService ControlPlane { get; }

    internal WorkerService Workers { get; }

    private CfnParameter Parameter(string name, string description, string? defaultValue = null) =>
        new(this, name, new CfnParameterProps { Type = "String", Description = description, Default = defaultValue, MinLength = 1 });

    private EcrImage Image(string id, CfnParameter repository, CfnParameter tag) =>
        ContainerImage.FromEcrRepository(Repository.FromRepositoryName(this, id, repository.ValueAsString), tag.ValueAsString);

    private int ContextNumber(string key, int fallback) =>
        Node.TryGetContext(key) switch
        {
            null => fallback,
            var value when int.TryParse(value.ToString(), out var number) && number > 0 => number,
            var value => throw new ArgumentException($"CDK context {key} must be a positive whole number, not '{value}'."),
        };

    private void Output(string name, string value, string description) =>
        _ = new CfnOutput(this, name, new CfnOutputProps { Value = value, Description = description });
}
