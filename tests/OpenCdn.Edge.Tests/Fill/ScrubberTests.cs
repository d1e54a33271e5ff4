using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>A stored file that rots is quarantined by the scrubber, stops being served, and is fetched again.</summary>
public sealed class ScrubberTests
{
    [Fact]
    public async Task CorruptedStoredFile_IsQuarantined_NotServed_ThenRefilled()
    {
        await using var bed = await FillBed.StartAsync();
        var bytes = TestContent.Bytes(200_000);
        var sound = TestContent.Bytes(10_000, seed: 2);
        await bed.SetPlanAsync(1, bed.Item("t1", 1, new Dictionary<string, byte[]> { ["video.mp4"] = bytes, ["audio_en.mp4"] = sound }));
        await bed.RunAsync();
        var stored = bed.ContentPath("t1", 1, "video.mp4");
        await using (var file = new FileStream(stored, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 1234;
            file.WriteByte((byte)~bytes[1234]);
        }

        var quarantined = await bed.Edge.Get<Scrubber>().ScrubOnceAsync(CancellationToken.None);

        Assert.Equal(1, quarantined);
        Assert.False(bed.Holds("t1", 1, "video.mp4"));
        Assert.True(bed.Holds("t1", 1, "audio_en.mp4"));
        Assert.Empty(await bed.DownloadAsync("t1", 1, "video.mp4"));
        Assert.Single(Directory.GetFiles(Path.Combine(bed.Folder.Path, "quarantine"), "video.mp4.*", SearchOption.AllDirectories));

        Assert.Equal(FillPassOutcome.Complete, await bed.RunAsync());
        Assert.Equal(bytes, await bed.DownloadAsync("t1", 1, "video.mp4"));
    }
}
