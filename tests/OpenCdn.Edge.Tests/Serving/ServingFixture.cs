using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>One edge holding a small video and audio file of title <c>title1</c> v3, with one live signing key.</summary>
public sealed class ServingFixture : IAsyncLifetime
{
    public const string Title = "title1";
    private readonly TempFolder _folder = new();

    public EdgeHost Edge { get; private set; } = null!;

    public byte[] Video { get; } = TestContent.Bytes(1000, seed: 7);

    /// <summary>Large enough for bodies that go out with sendfile(2) (<c>video_480p.mp4</c>).</summary>
    public byte[] LargeVideo { get; } = TestContent.Bytes(400_000, seed: 9);

    public byte[] Audio { get; } = TestContent.Bytes(300, seed: 8);

    public SigningKey Key { get; } = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));

    public string Token(string title = Title) => DeliveryToken.Issue(Key, title, DateTimeOffset.UtcNow.AddHours(1));

    public string VideoPath => $"c/{Token()}/{Title}/v3/video_720p.mp4";

    public async Task InitializeAsync()
    {
        Edge = await EdgeHost.StartAsync(_folder.Path, new Dictionary<string, string?>
        {
            ["CorsOrigins:0"] = "https://player.example",
        }, backgroundServices: false);
        await Edge.SetKeysAsync(Key);
        await Edge.SeedAsync(Title, 3, "video_720p.mp4", Video);
        await Edge.SeedAsync(Title, 3, "audio_en.mp4", Audio);
        await Edge.SeedAsync(Title, 3, "video_480p.mp4", LargeVideo);
        await Edge.SeedAsync("title2", 1, "video_720p.mp4", Video);
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        _folder.Dispose();
    }
}
