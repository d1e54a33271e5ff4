namespace OpenCdn.Testing.Otlp;

/// <summary>One span as an OTLP receiver got it: ids in lower-case hex (the parent empty for a root), attributes as text.</summary>
public sealed record OtlpSpan(
    string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, int StatusCode,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}
