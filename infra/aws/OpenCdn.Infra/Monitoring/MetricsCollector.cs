using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace OpenCdn.Infra.Monitoring;

/// <summary>
/// How the control plane's Prometheus series reach CloudWatch: an AWS Distro for OpenTelemetry collector runs beside
/// each instance, scrapes <c>localhost:{port}/metrics</c> every 30 s and writes the fleet gauges as CloudWatch metrics
/// (embedded metric format) in the <see cref="Namespace"/> namespace, named as on <c>/metrics</c>. Only the series the
/// alarms read are kept, without per-instance dimensions: every instance sees the same fleet, so the alarm takes the
/// maximum over them.
/// </summary>
internal static class MetricsCollector
{
    public const string Namespace = "OpenCdn";
    public const string LogGroupName = "/opencdn/metrics";
    public const string Image = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";

    /// <summary>Edges by status (healthy, degraded, draining, down), as the control plane judges them.</summary>
    public const string EdgesMetric = "opencdn_fleet_edges";

    /// <summary>Edges left out of steering because their stored state is not valid.</summary>
    public const string EdgesLeftOutMetric = "opencdn_fleet_edges_left_out";

    public static void AddTo(Construct scope, FargateTaskDefinition task, int port)
    {
        var logs = new LogGroup(scope, "MetricsLogs", new LogGroupProps
        {
            LogGroupName = LogGroupName,
            Retention = RetentionDays.ONE_WEEK,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        task.AddContainer("MetricsCollector", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromRegistry(Image),
            Essential = false,
            MemoryReservationMiB = 128,
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Config(port) },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = "metrics-collector", LogGroup = logs }),
        });
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteEmbeddedMetrics",
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resources = [logs.LogGroupArn, $"{logs.LogGroupArn}:log-stream:*"],
        }));
    }

    internal static string Config(int port) => $$"""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: opencdn-control-plane
                  scrape_interval: 30s
                  metrics_path: /metrics
                  static_configs:
                    - targets: ["localhost:{{port}}"]
        exporters:
          awsemf:
            namespace: {{Namespace}}
            log_group_name: {{LogGroupName}}
            dimension_rollup_option: NoDimensionRollup
            metric_declarations:
              - dimensions: [[status]]
                metric_name_selectors: ["^{{EdgesMetric}}$"]
              - dimensions: [[]]
                metric_name_selectors: ["^{{EdgesLeftOutMetric}}$"]
        service:
          pipelines:
            metrics:
              receivers: [prometheus]
              exporters: [awsemf]
        """;
}
