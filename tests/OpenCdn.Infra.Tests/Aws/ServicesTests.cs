using System.Text.Json.Nodes;

namespace OpenCdn.Infra.Tests;

/// <summary>The services: HTTPS in front, the configuration keys the code reads, workers scaled by the queue.</summary>
[Collection(StackCollection.Name)]
public sealed class ServicesTests(SynthesizedStack stack)
{
    [Fact]
    public void LoadBalancer_ServesHttpsWithTheCertificateParameter_AndRedirectsHttp()
    {
        var listeners = stack.Resources("AWS::ElasticLoadBalancingV2::Listener").Select(l => l.Resource["Properties"]!).ToList();
        var https = Assert.Single(listeners, l => (string?)l["Protocol"] == "HTTPS");
        Assert.Equal("CertificateArn", Json.RefersTo(https["Certificates"]![0]!["CertificateArn"]));
        Assert.StartsWith("ELBSecurityPolicy-TLS13", (string)https["SslPolicy"]!, StringComparison.Ordinal);
        var http = Assert.Single(listeners, l => (string?)l["Protocol"] == "HTTP");
        Assert.Equal("HTTPS", (string?)http["DefaultActions"]![0]!["RedirectConfig"]!["Protocol"]);
        var (_, group) = Assert.Single(stack.Resources("AWS::ElasticLoadBalancingV2::TargetGroup"));
        Assert.Equal("/healthz", (string?)group["Properties"]!["HealthCheckPath"]);
    }

    [Theory]
    [InlineData("ControlPlane")]
    [InlineData("Worker")]
    public void Services_GetTheCloudModeConfiguration(string container)
    {
        var (_, _, definition) = stack.TaskWith(container);
        var environment = Json.Environment(definition);
        Assert.Equal("S3", (string)environment["OpenCdn__Storage__Kind"]!);
        Assert.Equal("Sqs", (string)environment["OpenCdn__Queue__Kind"]!);
        var bucket = Assert.Single(stack.Resources("AWS::S3::Bucket")).Id;
        Assert.Equal(bucket, Json.RefersTo(environment["OpenCdn__Storage__S3__Bucket"]));
        var queues = stack.Resources("AWS::SQS::Queue").Select(q => (string?)q.Id).ToHashSet();
        Assert.Contains(Json.RefersTo(environment["OpenCdn__Queue__Sqs__QueueUrl"]), queues);
        Assert.Contains(Json.RefersTo(environment["OpenCdn__Queue__Sqs__DeadLetterQueueUrl"]), queues);
        Assert.NotEqual(
            Json.RefersTo(environment["OpenCdn__Queue__Sqs__QueueUrl"]), Json.RefersTo(environment["OpenCdn__Queue__Sqs__DeadLetterQueueUrl"]));

        var catalog = environment["ConnectionStrings__Catalog"].ToJsonString();
        Assert.Contains("Host=", catalog, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(stack.Resources("AWS::RDS::DBInstance")).Id, Json.Mentions(environment["ConnectionStrings__Catalog"]));
        Assert.DoesNotContain("Password", catalog, StringComparison.OrdinalIgnoreCase);
        var password = Json.Secrets(definition)["PGPASSWORD"];
        Assert.EndsWith(":password::", password.ToJsonString().Replace("\"]]}", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ControlPlane_KnowsItsPublicUrl_AndGetsTheKeyEncryptionKeyFromSecretsManager()
    {
        var (_, _, container) = stack.TaskWith("ControlPlane");
        Assert.Equal("PublicUrl", Json.RefersTo(Json.Environment(container)["OpenCdn__PublicUrl"]));
        var key = Json.Secrets(container)["OpenCdn__Keys__EncryptionKey"];
        Assert.Contains("KeyEncryptionKeySecret", Json.Mentions(key));
        Assert.Contains(":secretsmanager:", key.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("OpenCdn__Keys__EncryptionKey", Json.Environment(container).Keys);
    }

    [Fact]
    public void Workers_ScaleOnTheJobQueuesDepth()
    {
        var jobs = Assert.Single(stack.Resources("AWS::SQS::Queue"), q => q.Resource["Properties"]!["RedrivePolicy"] is not null).Id;
        var (targetId, target) = Assert.Single(stack.Resources("AWS::ApplicationAutoScaling::ScalableTarget"));
        Assert.Equal("ecs:service:DesiredCount", (string?)target["Properties"]!["ScalableDimension"]);
        var workers = stack.Resources("AWS::ECS::Service").Single(s => s.Resource["Properties"]!["LoadBalancers"] is null).Id;
        Assert.Contains(workers, Json.Mentions(target["Properties"]!["ResourceId"]));

        var policies = stack.Resources("AWS::ApplicationAutoScaling::ScalingPolicy")
            .Where(p => Json.RefersTo(p.Resource["Properties"]!["ScalingTargetId"]) == targetId).Select(p => p.Id).ToHashSet();
        Assert.Equal(2, policies.Count);
        var alarms = stack.Resources("AWS::CloudWatch::Alarm")
            .Where(a => Json.Many(a.Resource["Properties"]!["AlarmActions"]).Any(action => policies.Contains(Json.RefersTo(action)!))).ToList();
        Assert.Equal(2, alarms.Count);
        Assert.All(alarms, alarm =>
        {
            var metrics = Json.Many(alarm.Resource["Properties"]!["Metrics"]).Select(m => m["MetricStat"]?["Metric"]).OfType<JsonObject>().ToList();
            Assert.Contains(metrics, m => (string?)m["MetricName"] == "ApproximateNumberOfMessagesVisible"
                && Json.Mentions(m["Dimensions"]).Contains(jobs));
        });
    }
}
