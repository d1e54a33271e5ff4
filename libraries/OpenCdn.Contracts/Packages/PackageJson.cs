using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenCdn.Contracts.Packages;

/// <summary>How <c>package.json</c> is written and read: camelCase, enums as lower-case strings, indented.</summary>
public static class PackageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
