using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using OpenCdn.Infra.Database;
using OpenCdn.Infra.Monitoring;
using OpenCdn.Infra.Queue;
using OpenCdn.Infra.Storage;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace OpenCdn.Infra.Services;

/// <summary>
/// Control-plane instances on Fargate behind an HTTPS load balancer (HTTP redirects to HTTPS). They share nothing on
/// disk: the keys are in the catalog (sealed under the key-encryption key from Secrets Manager) and uploads wait in the
/// bucket. A metrics collector beside each instance scrapes its <c>/metrics</c> into CloudWatch (see <see cref="MetricsCollector"/>).
/// </summary>
internal sealed class ControlPlaneService : Construct
{
    public const int Port = 8080;
    /// <summary>Scratch only: keys are in the catalog and uploads wait in the bucket, so nothing here is shared or kept.</summary>
    public const string DataFolder = "/tmp/opencdn";

    public ControlPlaneService(Construct scope, string id, ControlPlaneServiceProps props) : base(scope, id)
    {
        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps { Cpu = 1024, MemoryLimitMiB = 2048 });

        var signer = new OriginSigner(this, "OriginSigner", props.Origin);
        var environment = ServiceEnvironment.Common(props.Origin, props.Queue, props.Catalog);
        environment["OpenCdn__DataFolder"] = DataFolder;
        environment["OpenCdn__PublicUrl"] = props.PublicUrl;
        environment["ASPNETCORE_HTTP_PORTS"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The load balancer sits in the VPC: its X-Forwarded-For is the viewer's address, for steering and rate limits.
        environment["OpenCdn__Playback__TrustedProxies__0"] = props.Vpc.VpcCidrBlock;
        var secrets = ServiceEnvironment.CommonSecrets(props.Catalog);
        secrets["OpenCdn__Storage__S3__AccessKey"] = EcsSecret.FromSecretsManager(signer.Credentials, "accessKeyId");
        secrets["OpenCdn__Storage__S3__SecretKey"] = EcsSecret.FromSecretsManager(signer.Credentials, "secretAccessKey");
        // The platform's keys live in the catalog, sealed under this key: the same for every instance.
        secrets["OpenCdn__Keys__EncryptionKey"] = EcsSecret.FromSecretsManager(props.KeyEncryptionKey);

        var app = task.AddContainer("ControlPlane", new ContainerDefinitionOptions
        {
            Image = props.Image,
            Environment = environment,
            Secrets = secrets,
            PortMappings = [new PortMapping { ContainerPort = Port }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "control-plane",
                LogGroup = new LogGroup(this, "Logs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH }),
            }),
        });
        MetricsCollector.AddTo(this, task, Port);

        Service = new ApplicationLoadBalancedFargateService(this, "Service", new ApplicationLoadBalancedFargateServiceProps
        {
            Cluster = props.Cluster,
            TaskDefinition = task,
            DesiredCount = props.Instances,
            PublicLoadBalancer = true,
            Protocol = ApplicationProtocol.HTTPS,
            Certificate = Certificate.FromCertificateArn(this, "Certificate", props.CertificateArn),
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            RedirectHTTP = true,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
        });
        Service.TargetGroup.ConfigureHealthCheck(new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck { Path = "/healthz" });
        // Uploads are PATCHes of 8 MiB: give a slow uploader time before the balancer cuts it.
        Service.LoadBalancer.SetAttribute("idle_timeout.timeout_seconds", "300");
        props.Catalog.Instance.Connections.AllowDefaultPortFrom(Service.Service, "control-plane instances");

        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "QueueJobs",
            Actions = ["sqs:SendMessage", "sqs:GetQueueAttributes"],
            Resources = [props.Queue.Jobs.QueueArn],
        }));
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CountDeadLetters",
            Actions = ["sqs:GetQueueAttributes"],
            Resources = [props.Queue.DeadLetters.QueueArn],
        }));
    }

    public ApplicationLoadBalancedFargateService Service { get; }
}

internal sealed record ControlPlaneServiceProps(
    IVpc Vpc, ICluster Cluster, ContainerImage Image, OriginBucket Origin, JobQueue Queue, CatalogDatabase Catalog,
    string CertificateArn, string PublicUrl, Amazon.CDK.AWS.SecretsManager.ISecret KeyEncryptionKey, int Instances);
