using System.Globalization;
using System.Text;
using CsCheck;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>Where a hostile message goes: the route and which credential it carries.</summary>
public enum HostileTarget
{
    /// <summary>The rogue edge's own heartbeat route, with its credential.</summary>
    OwnHeartbeat,
    /// <summary>A healthy edge's heartbeat route, with the rogue's credential.</summary>
    OthersHeartbeat,
    /// <summary>A made-up edge id in the route, with the rogue's credential.</summary>
    StrangeHeartbeat,
    /// <summary>A heartbeat with a forged credential.</summary>
    ForgedHeartbeat,
    /// <summary>A registration with a live bootstrap token.</summary>
    Register,
}

/// <param name="EdgeId">for <see cref="HostileTarget.StrangeHeartbeat"/>, the id in the route.</param>
public sealed record HostileMessage(HostileTarget Target, string Json, string? EdgeId = null)
{
    public override string ToString() =>
        $"{Target}{(EdgeId is null ? "" : $" ({EdgeId[..Math.Min(EdgeId.Length, 20)]})")}: "
        + $"{(Json.Length > 400 ? Json[..400] + $"… ({Json.Length} chars)" : Json)}";
}

/// <summary>
/// Generators of raw JSON an edge could send: valid-looking heartbeats and registrations with hostile values in any
/// field (wrong types, nulls, huge and negative numbers, weird strings, unknown enums, huge lists), broken documents, and
/// valid messages. Titles named are <c>t1</c>/<c>t2</c> and <paramref name="realTitle"/>; registered prefixes stay out of
/// 127.0.80.0/24, where the healthy edges' clients are.
/// </summary>
public static class HostileEdgeMessages
{
    public static Gen<HostileMessage> All(string realTitle) => Gen.Frequency(
        (10, Heartbeat(realTitle).Select(json => new HostileMessage(HostileTarget.OwnHeartbeat, json))),
        (1, Heartbeat(realTitle).Select(json => new HostileMessage(HostileTarget.OthersHeartbeat, json))),
        (1, Gen.Select(Heartbeat(realTitle), StrangeEdgeId, (json, id) => new HostileMessage(HostileTarget.StrangeHeartbeat, json, id))),
        (1, Heartbeat(realTitle).Select(json => new HostileMessage(HostileTarget.ForgedHeartbeat, json))),
        (6, Registration().Select(json => new HostileMessage(HostileTarget.Register, json))));

    private static readonly Gen<string> StrangeEdgeId = Gen.OneOf(
        "e000000000000", "..", "%2e%2e%2f", "x", new string('e', 5000), "e%00", "🎬", "register");

    private static readonly string[] WeirdStrings =
    [
        "", " ", "\u0000", "t1\n", "t1 ", "../../etc/passwd", "..\\..\\x", "/abs", "t1/v1", "<script>alert(1)</script>", "é🎬‮",
        "\ud800", "%00", "NaN", "null", "true", "-1", "1e400", new string('a', 65), new string('x', 100_000),
    ];

    private static readonly Gen<string> Weird = Gen.OneOf(Gen.OneOf(WeirdStrings), Gen.String[0, 40]).Select(Quote);

    /// <summary>A JSON value of any type, mostly wrong for whatever field it lands in.</summary>
    private static readonly Gen<string> Junk = Gen.Frequency(
        (3, Gen.OneOf("null", "true", "false", "{}", "[]", "[null]", "{\"a\":1}", "0", "-0", "1.5", "-1", "1e400", "-1e400",
            "99999999999999999999999999", "-9223372036854775809", "2147483648", "-2147483649", "9223372036854775807", "\"NaN\"", "\"Infinity\"")),
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")),
        (3, Weird));

    private static Gen<string> Heartbeat(string realTitle) => Gen.Frequency(
        (6, HeartbeatDocument(realTitle, hostile: true)),
        (3, HeartbeatDocument(realTitle, hostile: false)),
        (1, Broken));

    private static Gen<string> Registration() => Gen.Frequency(
        (6, RegistrationDocument(hostile: true)),
        (3, RegistrationDocument(hostile: false)),
        (1, Broken));

    /// <summary>Not a heartbeat or registration at all: other types, truncated documents, huge lists.</summary>
    private static readonly Gen<string> Broken = Gen.Frequency(
        (30, Gen.OneOf("", "null", "[]", "42", "\"heartbeat\"", "{", "{\"health\":", "{\"inventory\":[{\"titleId\":\"t1\",\"version\":1}",
            "{\"health\":\"healthy\",\"health\":\"draining\"}", "{\"inventory\":" + new string('[', 5000) + new string(']', 5000) + "}")),
        (1, Gen.Int[1_000_001, 1_000_003].Select(n => "{\"inventory\":[" + string.Join(',', Enumerable.Repeat("null", n)) + "],\"clientPrefixes\":["
            + string.Join(',', Enumerable.Repeat("\"10.0.0.0/8\"", 10_001)) + "]}")));

    private static Gen<string> HeartbeatDocument(string realTitle, bool hostile)
    {
        var counter = Field(Gen.Int[0, 1_000_000].Select(Number), hostile);
        var big = Field(Gen.Long[0, long.MaxValue].Select(Number), hostile);
        var health = Field(Gen.OneOf("\"healthy\"", "\"degraded\"", "\"draining\"", "0", "1", "2"), hostile,
            Gen.OneOf("\"HEALTHY\"", "\"down\"", "3", "-1", "99", "\"\""));
        var titleId = Field(Gen.OneOf("t1", "t2", realTitle, "a", new string('z', 64)).Select(Quote), hostile);
        var version = Field(Gen.Int[1, 999_999].Select(Number), hostile, Gen.OneOf("0", "-1", "1000000", "2147483647"));
        var item = Field(Object(("titleId", titleId), ("version", version)), hostile);
        var inventory = Field(Gen.Frequency((40, item.Array[0, 20]), (1, item.Array[1_000, 5_000])).Select(List), hostile);
        var fill = Field(Object(("planVersion", counter), ("inWindow", Field(Gen.Bool.Select(b => b ? "true" : "false"), hostile)),
            ("filesDone", counter), ("filesTotal", counter), ("bytesDone", big), ("bytesTotal", big)), hostile);
        return Object(("health", health), ("activeConnections", counter), ("egressBitsPerSecond", big), ("freeDiskBytes", big),
            ("inventory", inventory), ("fill", fill));
    }

    private static Gen<string> RegistrationDocument(bool hostile)
    {
        var name = Field(Gen.String[1, 30].Where(s => !string.IsNullOrWhiteSpace(s) && !s.Any(char.IsControl)).Select(Quote), hostile);
        var url = Field(Gen.OneOf("\"http://rogue.edges.test:8080/\"", "\"https://10.9.9.9/\""), hostile,
            Gen.OneOf("\"ftp://x/\"", "\"/relative\"", "\"http://x/?q=1\"", "\"javascript:alert(1)\"", "\"http://\"", "\"file:///etc/passwd\""));
        var kind = Field(Gen.OneOf("\"embedded\"", "\"ix\"", "0", "1"), hostile, Gen.OneOf("\"IXX\"", "\"cloud\"", "2", "-1"));
        var asn = Field(Gen.OneOf(Gen.Int[1, int.MaxValue].Select(Number), Gen.Const("null")), hostile);
        var latitude = Field(Gen.Double[-90, 90].Select(Number), hostile, Gen.OneOf("90.0001", "-1000", "\"NaN\"", "1e308"));
        var longitude = Field(Gen.Double[-180, 180].Select(Number), hostile, Gen.OneOf("180.5", "\"-Infinity\""));
        var prefix = Field(Gen.OneOf(
            Gen.Int[0, 255].Select(b => $"\"10.{b}.0.0/16\""),
            Gen.Int[0, 0xffff].Select(b => $"\"2001:db8:{b:x}::/48\"")), hostile,
            Gen.OneOf("\"10.0.0.0/33\"", "\"10.0.0.0\"", "\"::/129\"", "\"10.0.0.0/-1\"", "\"1.2.3.4/8\"", "\"10.0.0.0/08\""));
        var prefixes = Field(Gen.Frequency((20, prefix.Array[0, 5]), (1, prefix.Array[10_001, 10_050])).Select(List), hostile);
        var positive = Field(Gen.Long[1, long.MaxValue].Select(Number), hostile);
        var time = Field(Gen.OneOf("\"02:00:00\"", "\"14:00\"", "\"00:00:00\""), hostile, Gen.OneOf("\"25:00\"", "\"-1:00\"", "\"noon\""));
        var zone = Field(Gen.OneOf("\"UTC\"", "\"Europe/Paris\"", "\"America/New_York\""), hostile,
            Gen.OneOf("\"Mars/Olympus\"", "\"../../etc/localtime\"", "\"\""));
        var window = Field(Object(("start", time), ("end", time), ("timeZone", zone)), hostile);
        return Object(("name", name), ("publicUrl", url), ("siteKind", kind), ("asn", asn), ("isp", Field(Gen.Const("\"Rogue ISP\""), hostile)),
            ("latitude", latitude), ("longitude", longitude), ("clientPrefixes", prefixes), ("diskCapacityBytes", positive),
            ("egressCapacityBitsPerSecond", positive), ("fillWindow", window), ("fillRateBytesPerSecond", positive));
    }

    /// <summary>A field's value: valid, or (in a hostile document, one time in six) junk or a near miss.</summary>
    private static Gen<string> Field(Gen<string> valid, bool hostile, Gen<string>? nearMiss = null) => hostile
        ? Gen.Frequency((10, valid), (1, Junk), (1, nearMiss ?? Junk))
        : valid;

    /// <summary>An object of the given fields; in any document a field may be left out (one time in 31), or an unknown one added.</summary>
    private static Gen<string> Object(params (string Name, Gen<string> Value)[] fields)
    {
        var members = Gen.Const(Array.Empty<string>());
        foreach (var (name, value) in fields)
        {
            var member = Gen.Frequency((30, value.Select(v => $"{Quote(name)}:{v}")), (1, Gen.Const("")));
            members = Gen.Select(members, member, (all, one) => one.Length == 0 ? all : [.. all, one]);
        }
        var extra = Gen.Frequency((10, Gen.Const(Array.Empty<string>())), (1, Junk.Select(v => new[] { $"\"unknown\":{v}" })));
        return Gen.Select(members, extra, (known, unknown) => "{" + string.Join(',', known.Concat(unknown)) + "}");
    }

    private static string List(string[] items) => "[" + string.Join(',', items) + "]";

    private static string Number(int value) => Number((long)value);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
