namespace OpenCdn.Web.Tests;

/// <summary>
/// What the browser tests share: the real control plane and ingest worker on embedded defaults, Chromium, and one ready
/// title long enough for ABR to show (a 60-second 480p master: 480p, 360p and 240p rungs).
/// </summary>
public sealed class WebPlatform() : BrowserPlatform(new Dictionary<string, string>(), TitleName, (854, 480, 60), TimeSpan.FromMinutes(4))
{
    public const string TitleName = "Feature film";
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebPlatform>
{
    public const string Name = "web";
}
