using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// A chunked encode makes the trick-play thumbnails in the chunks, from the pictures each chunk already decodes, and the
/// assembly tiles them (<see cref="Thumbnails.TileAsync"/>): no job decodes the master a second time, and the tiles are the
/// single pass's, byte for byte.
/// </summary>
public sealed class ChunkThumbnailsTests
{
    private const double Fps = 30000 / 1001.0;

    [Theory]
    [InlineData(0, 20, 5)]
    [InlineData(1, 20, 5)]
    [InlineData(7, 60, 15)]
    public void AChunk_HasOneThumbnailPerIntervalItCovers(int index, int seconds, long expected)
    {
        var first = FrameRange.FirstFrameAt(index * seconds, Fps);

        var range = new FrameRange(first, FrameRange.FirstFrameAt((index + 1) * seconds, Fps) - first, Fps);

        Assert.Equal(expected, range.ThumbnailCount);
        Assert.InRange(range.LeadSeconds, 0, 1 / Fps);
        Assert.Equal(0, (range with { Count = 0 }).ThumbnailCount); // the last chunk: to the end
    }

    [Fact]
    public async Task Chunks_TiledAtAssembly_MakeTheSinglePassTilesByteForByte()
    {
        using var folder = new TempFolder();
        // 29.97 fps: the 4-s marks fall between frames, so each chunk starts up to a frame after its boundary; 810 s makes
        // three tile files, each made of many chunks' thumbnails.
        const int duration = 810, chunkSeconds = 60;
        var master = await Ffmpeg.GenerateMasterAsync(folder.Combine("long.mp4"), 160, 90, "30000/1001", duration, audioChannels: 0);
        var plan = VideoFilters.Plan(new MasterInfo(TimeSpan.FromSeconds(duration), 160, 90, Fps, false, PictureInfo.Square(160, 90)));
        var single = Directory.CreateDirectory(folder.Combine("single")).FullName;
        await FfmpegProcess.RunAsync("ffmpeg", LadderArguments.Build(master, single, plan, "ultrafast"), null, CancellationToken.None);

        var cells = new List<string>();
        var count = (duration - 4) / chunkSeconds + 1;
        for (var i = 0; i < count; i++)
        {
            var first = FrameRange.FirstFrameAt(i * chunkSeconds, Fps);
            var frames = i == count - 1 ? 0 : FrameRange.FirstFrameAt((i + 1) * chunkSeconds, Fps) - first;
            var chunk = Directory.CreateDirectory(folder.Combine($"c{i}")).FullName;
            await FfmpegProcess.RunAsync(
                "ffmpeg", LadderArguments.Build(master, chunk, plan, "ultrafast", new FrameRange(first, frames, Fps)), null, CancellationToken.None);
            cells.Add(Path.Combine(chunk, Thumbnails.CellsFile));
        }
        var assembled = Directory.CreateDirectory(folder.Combine("assembled")).FullName;
        await Thumbnails.TileAsync("ffmpeg", cells, assembled, CancellationToken.None);

        var expected = Directory.GetFiles(single, "thumbs_*.jpg").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.Equal(["thumbs_1.jpg", "thumbs_2.jpg", "thumbs_3.jpg"], expected);
        Assert.Equal(expected, Directory.GetFiles(assembled).Select(f => Path.GetFileName(f)).Order());
        Assert.All(expected, name => Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(assembled, name))));
    }
}
