using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace OpenCdn.Infra.Monitoring;

/// <summary>
/// What pages an operator, through one SNS topic (subscribe to it): a job in the dead-letter queue, the load
/// balancer answering 5xx to more than 1 % of requests, an edge down.
/// </summary>
internal sealed class Alarms : Construct
{
    public Alarms(Construct scope, string id, IQueue deadLetters, IApplicationLoadBalancer balancer) : base(scope, id)
    {
        Topic = new Topic(this, "Topic", new TopicProps { DisplayName = "OpenCdn alarms", EnforceSSL = true });
        var action = new SnsAction(Topic);

        var deadLettered = deadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions
        {
            Period = Duration.Minutes(5),
            Statistic = "Maximum",
        }).CreateAlarm(this, "DeadLetters", new CreateAlarmOptions
        {
            AlarmDescription = "Transcode jobs in the dead-letter queue: their titles failed after every attempt (see the worker logs).",
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        var errorRate = new MathExpression(new MathExpressionProps
        {
            Label = "5xx per 100 requests",
            Expression = "IF(requests > 0, 100 * (FILL(balancer5xx, 0) + FILL(target5xx, 0)) / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["balancer5xx"] = balancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Statistic = "Sum" }),
                ["target5xx"] = balancer.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, new MetricOptions { Statistic = "Sum" }),
                ["requests"] = balancer.Metrics.RequestCount(new MetricOptions { Statistic = "Sum" }),
            },
            Period = Duration.Minutes(5),
        });
        var serverErrors = errorRate.CreateAlarm(this, "ServerErrors", new CreateAlarmOptions
        {
            AlarmDescription = "More than 1 % of control-plane requests answered 5xx for 15 minutes.",
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        var edgesDown = new Metric(new MetricProps
        {
            Namespace = MetricsCollector.Namespace,
            MetricName = MetricsCollector.EdgesMetric,
            DimensionsMap = new Dictionary<string, string> { ["status"] = "down" },
            Statistic = "Maximum",
            Period = Duration.Minutes(1),
        }).CreateAlarm(this, "EdgesDown", new CreateAlarmOptions
        {
            AlarmDescription = "An edge has been down (no heartbeat) for 5 minutes: GET /api/v1/edges shows which.",
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 5,
            TreatMissingData = TreatMissingData.MISSING,
        });

        foreach (var alarm in new[] { deadLettered, serverErrors, edgesDown })
        {
            alarm.AddAlarmAction(action);
            alarm.AddOkAction(action);
        }
    }

    public Topic Topic { get; }
}
