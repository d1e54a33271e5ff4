namespace OpenCdn.Platform;

/// <summary><c>OpenCdn:DataFolder</c>: where embedded mode keeps its files (origin, queue, catalog, keys).</summary>
public sealed class PlatformOptions
{
    public const string Section = "OpenCdn";

    public string DataFolder { get; set; } = "data";
}
