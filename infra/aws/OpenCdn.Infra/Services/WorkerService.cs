using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using OpenCdn.Infra.Database;
using OpenCdn.Infra.Queue;
using OpenCdn.Infra.Storage;

namespace OpenCdn.Infra.Services;

/// <summary>
/// Ingest workers on Fargate, scaled on the queue's depth (jobs waiting plus jobs running, so that a task is never
/// scaled in under a running encode while the backlog is being counted). A worker reads masters and writes packages.
/// </summary>
internal sealed class WorkerService : Construct
{
    public WorkerService(Construct scope, string id, WorkerServiceProps props) : base(scope, id)
    {
        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 4096,
            MemoryLimitMiB = 8192,
            // Masters and encodes are staged in the work folder: room for a large master and its renditions.
            EphemeralStorageGiB = 100,
            RuntimePlatform = new RuntimePlatform
            {
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
                CpuArchitecture = CpuArchitecture.X86_64,
            },
        });
        var environment = ServiceEnvironment.Common(props.Origin, props.Queue, props.Catalog);
        environment["OpenCdn__DataFolder"] = "/tmp/opencdn";
        environment["OpenCdn__Ingest__WorkFolder"] = "/tmp/opencdn/work";
        environment["OpenCdn__Ingest__MaxAttempts"] = JobQueue.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        task.AddContainer("Worker", new ContainerDefinitionOptions
        {
            Image = props.Image,
            Environment = environment,
            Secrets = ServiceEnvironment.CommonSecrets(props.Catalog),
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "worker",
                LogGroup = new LogGroup(this, "Logs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH }),
            }),
            StopTimeout = Duration.Seconds(120),
        });
        GrantOrigin(task.TaskRole, props.Origin);
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            // Dead letters too: a job whose worker died on every attempt is failed from the dead-letter queue, then deleted.
            Sid = "ConsumeJobs",
            Actions = ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            Resources = [props.Queue.Jobs.QueueArn, props.Queue.DeadLetters.QueueArn],
        }));

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = props.Cluster,
            TaskDefinition = task,
            DesiredCount = 1,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
        });
        props.Catalog.Instance.Connections.AllowDefaultPortFrom(Service, "ingest workers");

        var scaling = Service.AutoScaleTaskCount(new EnableScalingProps { MinCapacity = 1, MaxCapacity = props.MaxWorkers });
        var backlog = new MathExpression(new MathExpressionProps
        {
            Label = "Jobs waiting or running",
            Expression = "waiting + running",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["waiting"] = props.Queue.Jobs.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(1) }),
                ["running"] = props.Queue.Jobs.MetricApproximateNumberOfMessagesNotVisible(new MetricOptions { Period = Duration.Minutes(1) }),
            },
            Period = Duration.Minutes(1),
        });
        // A worker runs one encode at a time: one worker per job up to 4 jobs, then more by steps up to the maximum.
        scaling.ScaleOnMetric("QueueDepth", new BasicStepScalingPolicyProps
        {
            Metric = backlog,
            AdjustmentType = AdjustmentType.EXACT_CAPACITY,
            ScalingSteps =
            [
                new ScalingInterval { Upper = 1, Change = 1 },
                new ScalingInterval { Lower = 1, Upper = 2, Change = 1 },
                new ScalingInterval { Lower = 2, Upper = 4, Change = 2 },
                new ScalingInterval { Lower = 4, Upper = 8, Change = 4 },
                new ScalingInterval { Lower = 8, Change = Math.Max(4, props.MaxWorkers) },
            ],
            Cooldown = Duration.Minutes(2),
        });
    }

    public FargateService Service { get; }

    /// <summary>
    /// Masters are read; packages are written (single or multipart puts) and read back: the store checks each stored
    /// object's size with a HEAD, which S3 authorizes as GetObject. Nothing is listed or deleted.
    /// </summary>
    private static void GrantOrigin(IRole role, OriginBucket origin)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadMasters",
            Actions = ["s3:GetObject"],
            Resources = [origin.Objects(OriginBucket.MastersPrefix)],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WritePackages",
            Actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject"],
            Resources = [origin.Objects(OriginBucket.TitlesPrefix)],
        }));
    }
}

internal sealed record WorkerServiceProps(
    ICluster Cluster, ContainerImage Image, OriginBucket Origin, JobQueue Queue, CatalogDatabase Catalog, int MaxWorkers);
