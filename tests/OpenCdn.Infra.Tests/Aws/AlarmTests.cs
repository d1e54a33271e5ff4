using System.Text.Json.Nodes;

namespace OpenCdn.Infra.Tests;

/// <summary>The alarms an operator is paged by: dead-lettered jobs, 5xx from the balancer, edges down.</summary>
[Collection(StackCollection.Name)]
public sealed class AlarmTests(SynthesizedStack stack)
{
    [Fact]
    public void DeadLetterQueueDepth_Alarms_OnTheFirstDeadLetteredJob()
    {
        var deadLetters = Assert.Single(stack.Resources("AWS::SQS::Queue"), q => q.Resource["Properties"]!["RedrivePolicy"] is null).Id;
        var alarm = Paging().Single(a => (string?)a["MetricName"] == "ApproximateNumberOfMessagesVisible");
        Assert.Contains(deadLetters, Json.Mentions(alarm["Dimensions"]));
        Assert.Equal(1, (double)alarm["Threshold"]!);
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
    }

    [Fact]
    public void LoadBalancer5xxRate_Alarms()
    {
        var alarm = Paging().Single(a =>
            Json.Many(a["Metrics"]).Any(m => (string?)m["Expression"] is { } e && e.Contains("5xx", StringComparison.Ordinal)));
        var names = Json.Many(alarm["Metrics"]).Select(m => (string?)m["MetricStat"]?["Metric"]?["MetricName"]).OfType<string>().ToList();
        Assert.Equal(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"], names.Order());
    }

    [Fact]
    public void EdgesDown_Alarms_OnTheFleetGaugeTheCollectorShipsToCloudWatch()
    {
        var alarm = Paging().Single(a => (string?)a["Namespace"] == "OpenCdn");
        Assert.Equal("opencdn_fleet_edges", (string?)alarm["MetricName"]);
        var dimension = Assert.Single(Json.Many(alarm["Dimensions"]));
        Assert.Equal(("status", "down"), ((string)dimension["Name"]!, (string)dimension["Value"]!));

        var (_, _, collector) = stack.TaskWith("MetricsCollector");
        var config = (string)Json.Environment(collector)["AOT_CONFIG_CONTENT"]!;
        Assert.Contains("namespace: OpenCdn", config, StringComparison.Ordinal);
        Assert.Contains("^opencdn_fleet_edges$", config, StringComparison.Ordinal);
        Assert.Contains("localhost:8080", config, StringComparison.Ordinal);
    }

    /// <summary>The alarms that notify the alarm topic (the scaling alarms act on scaling policies instead).</summary>
    private List<JsonObject> Paging()
    {
        var topic = Assert.Single(stack.Resources("AWS::SNS::Topic")).Id;
        var alarms = stack.Resources("AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!.AsObject())
            .Where(a => Json.Many(a["AlarmActions"]).Any(action => Json.RefersTo(action) == topic)).ToList();
        Assert.Equal(3, alarms.Count);
        return alarms;
    }
}
