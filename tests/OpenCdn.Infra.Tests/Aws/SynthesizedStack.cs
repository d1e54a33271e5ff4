using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using OpenCdn.Infra;

namespace OpenCdn.Infra.Tests;

/// <summary>The stack synthesized once for every test (synthesis starts the CDK's JavaScript core: seconds).</summary>
public sealed class SynthesizedStack : IDisposable
{
    private readonly string _outdir = Directory.CreateTempSubdirectory("opencdn-cdk-").FullName;

    public SynthesizedStack()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1");
        var app = new App(new AppProps { Outdir = _outdir });
        var stack = new OpenCdnStack(app, "OpenCdn");
        Template = Template.FromStack(stack);
        var assembly = app.Synth();
        Json = JsonNode.Parse(File.ReadAllText(assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath))!.AsObject();
    }

    /// <summary>The CDK's own matcher over the template.</summary>
    public Template Template { get; }

    /// <summary>The template as JSON, for checks across every resource.</summary>
    public JsonObject Json { get; }

    public IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>The one task definition with a container named <paramref name="container"/>, and that container.</summary>
    public (string Id, JsonObject Task, JsonObject Container) TaskWith(string container)
    {
        var (id, task) = Assert.Single(Resources("AWS::ECS::TaskDefinition"),
            t => t.Resource["Properties"]!["ContainerDefinitions"]!.AsArray().Any(c => (string?)c!["Name"] == container));
        var definition = task["Properties"]!["ContainerDefinitions"]!.AsArray().Single(c => (string?)c!["Name"] == container)!.AsObject();
        return (id, task, definition);
    }

    /// <summary>Every policy statement of the identity whose logical id is <paramref name="principalId"/> (role or user).</summary>
    public IEnumerable<JsonObject> StatementsOf(string principalId) =>
        Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]?.AsArray().Any(r => (string?)r!["Ref"] == principalId) == true
                || p.Resource["Properties"]!["Users"]?.AsArray().Any(u => (string?)u!["Ref"] == principalId) == true)
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outdir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<SynthesizedStack>
{
    public const string Name = "synthesized stack";
}
