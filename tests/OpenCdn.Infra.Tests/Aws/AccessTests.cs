using System.Text.Json.Nodes;

namespace OpenCdn.Infra.Tests;

/// <summary>Least privilege: named actions only, on named resources, each service only what its code does.</summary>
[Collection(StackCollection.Name)]
public sealed class AccessTests(SynthesizedStack stack)
{
    /// <summary>Actions AWS only authorizes on every resource ("*"); nothing else may use a wildcard resource.</summary>
    private static readonly HashSet<string> ResourceLessActions = ["ecr:GetAuthorizationToken"];

    [Fact]
    public void NoAllowStatement_NamesAWildcardAction_OrAWildcardResourceForAScopableAction()
    {
        var statements = AllPolicyStatements().Where(s => (string?)s["Effect"] == "Allow").ToList();
        Assert.NotEmpty(statements);
        foreach (var statement in statements)
        {
            var actions = Json.Strings(statement["Action"]).ToList();
            Assert.DoesNotContain(actions, a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
            if (Json.Strings(statement["Resource"]).Any(r => r == "*"))
            {
                Assert.All(actions, a => Assert.Contains(a, ResourceLessActions));
            }
        }
    }

    [Fact]
    public void Worker_ReadsMastersWritesPackages_AndConsumesTheJobAndDeadLetterQueues()
    {
        var (_, task, _) = stack.TaskWith("Worker");
        var role = Json.RefersTo(task["Properties"]!["TaskRoleArn"])!;
        var statements = stack.StatementsOf(role).ToList();

        var s3 = statements.Where(s => Json.Strings(s["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();
        Assert.Equal(["s3:GetObject"], Json.Strings(Assert.Single(s3, s => ObjectPrefix(s) == "/masters/*")["Action"]));
        Assert.Equal(["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            Json.Strings(Assert.Single(s3, s => ObjectPrefix(s) == "/titles/*")["Action"]).Order());
        Assert.Equal(2, s3.Count);

        var sqs = Assert.Single(statements, s => Json.Strings(s["Action"]).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)));
        var queues = stack.Resources("AWS::SQS::Queue").Select(q => q.Id).Order();
        Assert.Equal(queues, Json.Many(sqs["Resource"]).Select(r => Json.RefersTo(r)!).Order());
        Assert.DoesNotContain("sqs:SendMessage", Json.Strings(sqs["Action"]));
    }

    [Fact]
    public void ControlPlane_StagesUploadsStoresMasters_ReadsAndRetiresPackages_WithAKeyFromSecretsManager_AndQueuesJobs()
    {
        var (_, user) = Assert.Single(stack.Resources("AWS::IAM::User"));
        var signer = stack.StatementsOf(UserId()).ToList();
        Assert.Contains("s3:PutObject", Json.Strings(Assert.Single(signer, s => ObjectPrefix(s) == "/masters/*")["Action"]));
        var packages = Json.Strings(Assert.Single(signer, s => ObjectPrefix(s) == "/titles/*")["Action"]).ToList();
        Assert.Equal(["s3:DeleteObject", "s3:GetObject"], packages.Order());
        Assert.Contains("s3:PutObject", Json.Strings(Assert.Single(signer, s => ObjectPrefix(s) == "/uploads/*")["Action"]));
        Assert.NotNull(user);

        var (_, task, container) = stack.TaskWith("ControlPlane");
        var secrets = Json.Secrets(container);
        Assert.Contains("OpenCdn__Storage__S3__AccessKey", secrets.Keys);
        Assert.Contains("OpenCdn__Storage__S3__SecretKey", secrets.Keys);
        Assert.Contains("PGPASSWORD", secrets.Keys);
        Assert.DoesNotContain(Json.Environment(container).Keys, k => k.Contains("Secret", StringComparison.Ordinal)
            || k.Contains("Password", StringComparison.OrdinalIgnoreCase) || k.EndsWith("AccessKey", StringComparison.Ordinal));

        var role = Json.RefersTo(task["Properties"]!["TaskRoleArn"])!;
        var sqs = stack.StatementsOf(role).Where(s => Json.Strings(s["Action"]).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();
        Assert.Contains(sqs, s => Json.Strings(s["Action"]).Contains("sqs:SendMessage")
            && Json.Many(s["Resource"]).All(r => Json.RefersTo(r) == JobQueueId()));
        Assert.DoesNotContain(sqs, s => Json.Strings(s["Action"]).Contains("sqs:ReceiveMessage"));
        Assert.DoesNotContain(stack.StatementsOf(role), s => Json.Strings(s["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal)));
    }

    private string UserId() => Assert.Single(stack.Resources("AWS::IAM::User")).Id;

    private string JobQueueId() => Assert.Single(stack.Resources("AWS::SQS::Queue"), q => q.Resource["Properties"]!["RedrivePolicy"] is not null).Id;

    /// <summary>The object-key suffix of a statement's single bucket-object resource (<c>/masters/*</c>), or null.</summary>
    private static string? ObjectPrefix(JsonObject statement) =>
        Json.Many(statement["Resource"]).SingleOrDefault() is { } resource && resource["Fn::Join"] is JsonArray join
            ? (string?)join[1]!.AsArray().Last()
            : null;

    private IEnumerable<JsonObject> AllPolicyStatements()
    {
        // Policies, bucket and queue policies (PolicyDocument) and roles' inline policies (Policies[].PolicyDocument).
        var documents = stack.Json["Resources"]!.AsObject().Select(r => r.Value!["Properties"])
            .SelectMany(p => Json.Many(p?["Policies"]).Select(i => i["PolicyDocument"]).Append(p?["PolicyDocument"]));
        return documents.Where(d => d is not null).SelectMany(d => Json.Many(d!["Statement"])).Select(s => s.AsObject());
    }
}
