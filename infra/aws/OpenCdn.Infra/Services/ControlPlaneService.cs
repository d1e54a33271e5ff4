using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.EFS;
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
/// Control-plane instances on Fargate behind an HTTPS load balancer (HTTP redirects to HTTPS). They share the data
/// folder on EFS (keys, upload staging); a metrics collector beside each instance scrapes its <c>/metrics</c> into
/// CloudWatch (see <see cref="MetricsCollector"/>).
/// </summary>
internal sealed class ControlPlaneService : Construct
{
    public const int Port = 8080;
    public const string DataFolder = "/data";

    public ControlPlaneService(Construct scope, string id, ControlPlaneServiceProps props) : base(scope, id)
    {
        var files = new Amazon.CDK.AWS.EFS.FileSystem(this, "DataFolder", new FileSystemProps
        {
            Vpc = props.Vpc,
            Encrypted = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            ThroughputMode = ThroughputMode.ELASTIC,
        });
        // 1654 is the non-root "app" user of the .NET container images.
        var accessPoint = files.AddAccessPoint("Data", new AccessPointOptions
        {
            Path = "/opencdn",
            PosixUser = new PosixUser { Uid = "1654", Gid = "1654" },
            CreateAcl = new Acl { OwnerUid = "1654", OwnerGid = "1654", Permissions = "700" },
        });

        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps { Cpu = 1024, MemoryLimitMiB = 2048 });
        task.AddVolume(new Amazon.CDK.AWS.ECS.Volume
        {
            Name = "data",
            EfsVolumeConfiguration = new EfsVolumeConfiguration
            {
                FileSystemId = files.FileSystemId,
                TransitEncryption = "ENABLED",
                AuthorizationConfig = new AuthorizationConfig { AccessPointId = accessPoint.AccessPointId, Iam = "ENABLED" },
            },
        });
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "MountDataFolder",
            Actions = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resources = [files.FileSystemArn],
        }));

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
        app.AddMountPoints(new MountPoint { SourceVolume = "data", ContainerPath = DataFolder, ReadOnly = false });
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
        files.Connections.AllowDefaultPortFrom(Service.Service, "control-plane instances");
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
    string CertificateArn, string PublicUrl, int Instances);
