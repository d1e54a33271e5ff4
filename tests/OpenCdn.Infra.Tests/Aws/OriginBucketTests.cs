using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace OpenCdn.Infra.Tests;

/// <summary>The origin bucket: nobody reads it without credentials or over plain HTTP; masters age into IA.</summary>
[Collection(StackCollection.Name)]
public sealed class OriginBucketTests(SynthesizedStack stack)
{
    [Fact]
    public void Bucket_BlocksEveryPublicAccess_AndIsEncrypted()
    {
        var (_, bucket) = Assert.Single(stack.Resources("AWS::S3::Bucket"));
        var block = bucket["Properties"]!["PublicAccessBlockConfiguration"]!;
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
        {
            Assert.True((bool)block[setting]!, setting);
        }
        var encryption = bucket["Properties"]!["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!;
        Assert.Equal("AES256", (string)encryption["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!);
        Assert.Null(bucket["Properties"]!["WebsiteConfiguration"]);
    }

    [Fact]
    public void BucketPolicy_DeniesEveryRequestWithoutTls_AndGrantsNothingToEveryone()
    {
        var (_, policy) = Assert.Single(stack.Resources("AWS::S3::BucketPolicy"));
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Contains(statements, s => (string?)s["Effect"] == "Deny"
            && (string?)s["Condition"]?["Bool"]?["aws:SecureTransport"] == "false"
            && Json.Strings(s["Action"]).Contains("s3:*")
            && Json.Many(s["Resource"]).Count() == 2);
        Assert.DoesNotContain(statements, s => (string?)s["Effect"] == "Allow");
    }

    [Fact]
    public void Lifecycle_MovesMastersToInfrequentAccess_AndCleansAbortedMultipartUploads()
    {
        stack.Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["LifecycleConfiguration"] = new Dictionary<string, object>
            {
                ["Rules"] = Match.ArrayWith(
                [
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Prefix"] = "masters/",
                        ["Status"] = "Enabled",
                        ["Transitions"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["StorageClass"] = "STANDARD_IA" }) },
                    }),
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["AbortIncompleteMultipartUpload"] = new Dictionary<string, object> { ["DaysAfterInitiation"] = 7 },
                        ["Status"] = "Enabled",
                    }),
                ]),
            },
        });
        var (_, bucket) = Assert.Single(stack.Resources("AWS::S3::Bucket"));
        var rules = bucket["Properties"]!["LifecycleConfiguration"]!["Rules"]!.AsArray();
        Assert.All(rules.Where(r => r!["Transitions"] is JsonArray), rule => Assert.Equal("masters/", (string?)rule!["Prefix"]));
        Assert.DoesNotContain(rules, r => r!["ExpirationInDays"] is not null);
    }
}
