namespace OpenCdn.Edge.Tests.Support;

/// <summary>One request a <see cref="SourceServer"/> answered.</summary>
public sealed class SourceRequest(string path, string range, string authorization)
{
    public string Path { get; } = path;

    public string Range { get; } = range;

    public string Authorization { get; } = authorization;

    public long BytesSent { get; set; }
}
