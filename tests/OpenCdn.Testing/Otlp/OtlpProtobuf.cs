using System.Globalization;
using Google.Protobuf;

namespace OpenCdn.Testing.Otlp;

/// <summary>
/// Reads the OTLP/HTTP protobuf bodies of <c>/v1/traces</c> and <c>/v1/metrics</c> field by field (the field numbers of
/// opentelemetry-proto's trace.proto, metrics.proto, resource.proto and common.proto), with nothing generated.
/// </summary>
internal static class OtlpProtobuf
{
    /// <summary>ExportTraceServiceRequest → ResourceSpans(1) → Resource(1), ScopeSpans(2) → Scope(1), Span(2).</summary>
    public static IEnumerable<OtlpSpan> Spans(ByteString body)
    {
        foreach (var resourceSpans in Messages(body, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                var scope = Messages(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? "";
                foreach (var span in Messages(scopeSpans, 2))
                {
                    var status = Messages(span, 15).Select(s => (int)Number(s, 3)).FirstOrDefault();
                    yield return new OtlpSpan(service, scope, Hex(span, 1), Hex(span, 2), Hex(span, 4), Text(span, 5) ?? "",
                        (int)Number(span, 6), status, Attributes(span, 9));
                }
            }
        }
    }

    /// <summary>ExportMetricsServiceRequest → ResourceMetrics(1) → Resource(1), ScopeMetrics(2) → Metric(2) → name(1).</summary>
    public static IEnumerable<(string Service, string Metric)> Metrics(ByteString body)
    {
        foreach (var resourceMetrics in Messages(body, 1))
        {
            var service = ServiceName(resourceMetrics);
            foreach (var scopeMetrics in Messages(resourceMetrics, 2))
            {
                foreach (var metric in Messages(scopeMetrics, 2))
                {
                    yield return (service, Text(metric, 1) ?? "");
                }
            }
        }
    }

    private static string ServiceName(ByteString resourceOwner) =>
        Messages(resourceOwner, 1).Select(resource => Attributes(resource, 1).GetValueOrDefault("service.name")).FirstOrDefault() ?? "";

    /// <summary>KeyValue: key(1), AnyValue(2) → string(1) | bool(2) | int(3); other kinds are left out.</summary>
    private static Dictionary<string, string> Attributes(ByteString message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Messages(message, field))
        {
            var key = Text(pair, 1);
            var value = Messages(pair, 2).FirstOrDefault();
            if (key is null || value is null)
            {
                continue;
            }
            var fields = Fields(value).ToList();
            var text = fields.FirstOrDefault(f => f.Number == 1).Bytes?.ToStringUtf8()
                ?? fields.Where(f => f.Number == 3).Select(f => ((long)f.Value).ToString(CultureInfo.InvariantCulture)).FirstOrDefault()
                ?? fields.Where(f => f.Number == 2).Select(f => f.Value != 0 ? "true" : "false").FirstOrDefault();
            if (text is not null)
            {
                attributes[key] = text;
            }
        }
        return attributes;
    }

    private static IEnumerable<ByteString> Messages(ByteString message, int field) =>
        Fields(message).Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static string? Text(ByteString message, int field) => Messages(message, field).Select(b => b.ToStringUtf8()).FirstOrDefault();

    private static ulong Number(ByteString message, int field) => Fields(message).Where(f => f.Number == field).Select(f => f.Value).FirstOrDefault();

    private static string Hex(ByteString message, int field) =>
        Messages(message, field).Select(b => Convert.ToHexStringLower(b.Span)).FirstOrDefault() ?? "";

    /// <summary>The message's fields in order: length-delimited ones as bytes, varints and fixed-width ones as numbers.</summary>
    private static List<(int Number, ByteString? Bytes, ulong Value)> Fields(ByteString message)
    {
        var fields = new List<(int, ByteString?, ulong)>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.LengthDelimited:
                    fields.Add((number, input.ReadBytes(), 0));
                    break;
                case WireFormat.WireType.Varint:
                    fields.Add((number, null, input.ReadUInt64()));
                    break;
                case WireFormat.WireType.Fixed64:
                    fields.Add((number, null, input.ReadFixed64()));
                    break;
                case WireFormat.WireType.Fixed32:
                    fields.Add((number, null, input.ReadFixed32()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return fields;
    }
}
