using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace OpenCdn.Testing;

/// <summary>local-aws-sqs behind <c>infra/local/sqs-server.js</c>, which fills the gaps AWSSDK.SQS v4 trips over.</summary>
public sealed class SqsEmulator : LocalServiceEmulator
{
    protected override string Script => "sqs-server.js";

    public AmazonSQSClient CreateClient() => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonSQSConfig { ServiceURL = ServiceUrl.AbsoluteUri, AuthenticationRegion = "us-east-1" });

    /// <summary>
    /// Creates a queue and its dead-letter queue, redriven after <paramref name="maxReceives"/> receives, as the
    /// infrastructure code does.
    /// </summary>
    public async Task<(Uri Queue, Uri DeadLetters)> CreateQueuePairAsync(string name, int maxReceives)
    {
        using var sqs = CreateClient();
        var limits = new Dictionary<string, string> { ["MaximumMessageSize"] = "262144" };
        var dead = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq", Attributes = limits });
        var deadArn = (await sqs.GetQueueAttributesAsync(dead.QueueUrl, ["QueueArn"])).QueueARN;
        var receives = maxReceives.ToString(CultureInfo.InvariantCulture);
        var main = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>(limits)
            {
                ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{deadArn}}","maxReceiveCount":"{{receives}}"}""",
            },
        });
        return (new Uri(main.QueueUrl), new Uri(dead.QueueUrl));
    }
}
