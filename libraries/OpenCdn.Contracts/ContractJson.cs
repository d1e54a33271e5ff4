using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenCdn.Contracts;

/// <summary>
/// The wire format of the control plane's API, for every client of these contracts: camelCase, enums as camelCase
/// strings (numbers are read too).
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
