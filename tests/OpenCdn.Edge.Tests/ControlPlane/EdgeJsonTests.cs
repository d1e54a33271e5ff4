using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenCdn.Contracts;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Tests.ControlPlane;

/// <summary>
/// The edge's source-generated JSON (what the natively compiled appliance runs) writes the control plane's wire format
/// exactly as <see cref="ContractJson"/> does, and reads it back, for every message the edge exchanges with it.
/// </summary>
public sealed class EdgeJsonTests
{
    private static readonly SigningKey Key = new("k1", [1, 2, 3, 250], new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Heartbeat_IsWrittenAsContractJsonWritesIt_WithCamelCaseEnums()
    {
        var heartbeat = new EdgeHeartbeat(EdgeHealth.Draining, 3, 1_000_000, 42, [new InventoryItem("t1", 2)], new FillProgress(7, true, 1, 2, 3, 4));

        var json = AssertSameAsContract(heartbeat, EdgeJson.Default.EdgeHeartbeat);

        Assert.Contains("\"health\":\"draining\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_IsWrittenAsContractJsonWritesIt()
    {
        var request = new RegisterEdgeRequest("edge-1", new Uri("https://edge.example/"), EdgeSiteKind.IX, 64500, "isp", 48.85, 2.35,
            ["192.0.2.0/24"], 10, 20, new FillWindow(new TimeOnly(2, 0), new TimeOnly(14, 30), "Europe/Paris"), 30);

        var json = AssertSameAsContract(request, EdgeJson.Default.RegisterEdgeRequest);

        Assert.Contains("\"siteKind\":\"ix\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_AndStateFiles_RoundTrip_AsContractJsonWritesThem()
    {
        AssertSameAsContract(new RegisterEdgeResponse("e1", "secret", [Key]), EdgeJson.Default.RegisterEdgeResponse);
        AssertSameAsContract(new HeartbeatResponse(3, [Key], Drain: true), EdgeJson.Default.HeartbeatResponse);
        AssertSameAsContract([Key], EdgeJson.Default.ListSigningKey);
        var plan = new FillPlan(4, new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero),
        [
            new FillItem("t1", 1, [new FillFile("video_720p.mp4", 1234, new string('a', 64))],
            [
                new FillSource(FillSourceKind.Peer, "peer-1", new Uri("http://peer.example/"), null, "token"),
                new FillSource(FillSourceKind.Origin, "origin", null,
                    new Dictionary<string, Uri> { ["video_720p.mp4"] = new("https://origin.example/x?sig=1") },
                    NotBefore: new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero)),
            ]),
        ]);

        var json = AssertSameAsContract(plan, EdgeJson.Default.FillPlan);

        Assert.Contains("\"kind\":\"peer\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Enums_WrittenAsNumbers_AreReadToo()
    {
        var heartbeat = JsonSerializer.Deserialize(
            """{"health":2,"activeConnections":0,"egressBitsPerSecond":0,"freeDiskBytes":0,"inventory":[],"fill":{"planVersion":0}}""",
            EdgeJson.Default.EdgeHeartbeat);

        Assert.Equal(EdgeHealth.Draining, heartbeat!.Health);
    }

    /// <summary>Serializes with both, asserts the same text, reads it back with the edge's and compares as JSON.</summary>
    private static string AssertSameAsContract<T>(T value, JsonTypeInfo<T> edge)
    {
        var contract = JsonSerializer.Serialize(value, ContractJson.Options);
        var written = JsonSerializer.Serialize(value, edge);
        Assert.Equal(contract, written);
        Assert.Equal(contract, JsonSerializer.Serialize(JsonSerializer.Deserialize(written, edge), ContractJson.Options));
        return written;
    }
}
