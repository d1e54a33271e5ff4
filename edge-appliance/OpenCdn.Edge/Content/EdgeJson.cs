using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.ControlPlane;

namespace OpenCdn.Edge.Content;

/// <summary>
/// Every type the appliance reads or writes as JSON, serialized by source-generated code: the control plane's wire
/// format (<see cref="Contracts.ContractJson"/>: camelCase, enums as camelCase strings) for its calls and for the state
/// files that hold its answers. Generated, not reflected, so the natively compiled appliance has no JSON code to build at
/// run time; the Edge tests check that it writes what <see cref="Contracts.ContractJson"/> writes.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    Converters = [typeof(CamelCaseEnum<EdgeHealth>), typeof(CamelCaseEnum<EdgeSiteKind>), typeof(CamelCaseEnum<FillSourceKind>)])]
[JsonSerializable(typeof(RegisterEdgeRequest))]
[JsonSerializable(typeof(RegisterEdgeResponse))]
[JsonSerializable(typeof(EdgeHeartbeat))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(FillPlan))]
[JsonSerializable(typeof(List<SigningKey>))]
[JsonSerializable(typeof(IReadOnlyList<SigningKey>))]
[JsonSerializable(typeof(List<CatalogEntry>))]
[JsonSerializable(typeof(EdgeIdentity))]
internal sealed partial class EdgeJson : JsonSerializerContext
{
    /// <summary>An enum as its camelCase name, as <see cref="Contracts.ContractJson"/> writes it (numbers are read too).</summary>
    internal sealed class CamelCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
        where TEnum : struct, Enum;
}
