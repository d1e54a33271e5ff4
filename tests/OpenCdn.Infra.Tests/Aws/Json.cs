using System.Text.Json.Nodes;

namespace OpenCdn.Infra.Tests;

/// <summary>Small readers for CloudFormation JSON, where one value may be a string or a list.</summary>
internal static class Json
{
    public static IEnumerable<JsonNode> Many(JsonNode? node) =>
        node switch
        {
            null => [],
            JsonArray array => array.Where(n => n is not null).Select(n => n!),
            _ => [node],
        };

    public static IEnumerable<string> Strings(JsonNode? node) =>
        Many(node).Where(n => n is JsonValue).Select(n => (string)n!);

    /// <summary>A container's environment as name → JSON value (a string or an intrinsic function).</summary>
    public static Dictionary<string, JsonNode> Environment(JsonObject container) =>
        Many(container["Environment"]).ToDictionary(e => (string)e["Name"]!, e => e["Value"]!);

    public static Dictionary<string, JsonNode> Secrets(JsonObject container) =>
        Many(container["Secrets"]).ToDictionary(e => (string)e["Name"]!, e => e["ValueFrom"]!);

    /// <summary>The logical id a value refers to (<c>Ref</c>, or the first element of <c>Fn::GetAtt</c>); null otherwise.</summary>
    public static string? RefersTo(JsonNode? node) =>
        node is not JsonObject o ? null
        : o["Ref"] is { } reference ? (string)reference!
        : o["Fn::GetAtt"] is JsonArray attribute ? (string)attribute[0]!
        : null;

    /// <summary>Every logical id or parameter mentioned anywhere in <paramref name="node"/>.</summary>
    public static IEnumerable<string> Mentions(JsonNode? node)
    {
        if (RefersTo(node) is { } id)
        {
            yield return id;
        }
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var mention in Mentions(child))
            {
                yield return mention;
            }
        }
    }
}
