using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// One edge serving title1 v3 (a small and a large video) on a plaintext and an HTTPS endpoint, one live signing key,
/// CORS for one player origin: what <see cref="ServingFixture"/> holds, over TLS.
/// </summary>
public sealed class TlsServingFixture : IAsyncLifetime
{
    public const string Title = "title1";
    private readonly TempFolder _folder = new();

    public EdgeHost Edge { get; private set; } = null!;

    public byte[] Video { get; } = TestContent.Bytes(1000, seed: 7);

    /// <summary>Several 64 KiB writes and TLS records long (<c>video_480p.mp4</c>).</summary>
    public byte[] LargeVideo { get; } = TestContent.Bytes(400_000, seed: 9);

    public SigningKey Key { get; } = TestContent.Key("k1", DateTimeOffset.UtcNow.AddDays(1));

    public string Token(string title = Title) => DeliveryToken.Issue(Key, title, DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>The path of <see cref="LargeVideo"/> with a valid token.</summary>
    public string LargeVideoPath() => $"/c/{Token()}/{Title}/v3/video_480p.mp4";

    public async Task InitializeAsync()
    {
        Edge = await TlsEdge.StartAsync(_folder, new Dictionary<string, string?> { ["CorsOrigins:0"] = "https://player.example" });
        await Edge.SetKeysAsync(Key);
        await Edge.SeedAsync(Title, 3, "video_720p.mp4", Video);
        await Edge.SeedAsync(Title, 3, "video_480p.mp4", LargeVideo);
        await Edge.SeedAsync(Title, 3, "audio_en.mp4", TestContent.Bytes(300, seed: 8));
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        _folder.Dispose();
    }
}
