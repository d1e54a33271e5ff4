namespace OpenCdn.Web.Tests;

/// <summary>
/// The browser tests' platform with workers that also encode the AV1 ladder (<c>OpenCdn:Ingest:Av1:Enabled</c>), and one
/// ready title: a short, small master (12 s of 640x360 at 25 fps: 360p and 240p in H.264 and in AV1), so the AV1 encode
/// stays quick. Its own platform: AV1 is a worker setting, and the other browser tests play the default H.264-only ladder.
/// </summary>
public sealed class Av1Platform() : BrowserPlatform(
    new Dictionary<string, string> { ["OpenCdn:Ingest:Av1:Enabled"] = "true", ["OpenCdn:Ingest:Av1:Preset"] = "12" },
    TitleName, (640, 360, 12), TimeSpan.FromMinutes(3))
{
    public const string TitleName = "AV1 short";
}

[CollectionDefinition(Name)]
public sealed class Av1Collection : ICollectionFixture<Av1Platform>
{
    public const string Name = "av1";
}
