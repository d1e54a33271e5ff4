using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenCdn.Contracts.Peers;

/// <summary>How peer signalling messages and the peer configuration are written and read: camelCase, nulls left out.</summary>
public static class PeerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
