using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// A chunked encode makes the trick-play tiles in tiles parts (<see cref="TileParts"/>), each from an input seek to the
/// start of its first 400-s tile file, so no one job decodes a whole film: together the parts make every tile file once,
/// and the same bytes as the single pass.
/// </summary>
public sealed class TilePartsTests
{
    [Theory]
    [InlineData(20, 3, new[] { 1, 0 })] // shorter than one tile file: one part, to the end
    [InlineData(810, 3, new[] { 1, 1, 2, 1, 3, 0 })] // 3 tile files (the last 10 s long), one per part
    [InlineData(810, 2, new[] { 1, 2, 3, 0 })] // at most as many parts as video chunks
    [InlineData(803, 40, new[] { 1, 1, 2, 0 })] // a tail shorter than a segment makes no part of its own (the last runs on)
    [InlineData(1210, 5, new[] { 1, 1, 2, 1, 3, 1, 4, 0 })]
    public void Parts_TakeEveryTileFileOnce_InOrder(int seconds, int chunks, int[] expected)
    {
        var duration = TimeSpan.FromSeconds(seconds);

        var parts = Enumerable.Range(0, TileParts.CountFor(duration, chunks)).Select(i => TileParts.Of(i, duration, chunks));

        Assert.Equal(expected, parts.SelectMany(p => new[] { p.First, p.Count }));
    }

    [Fact]
    public void AFilm_InManyChunks_HasOneTilesPartPerTileFile()
    {
        var film = TimeSpan.FromHours(2);

        Assert.Equal(18, TileParts.CountFor(film, 360)); // 7,200 s in 400-s files
        Assert.Equal((18, 0), TileParts.Of(17, film, 360));
        Assert.Equal((9, 1), TileParts.Of(8, film, 360));
    }

    [Fact]
    public async Task TilesParts_SeekingToTheirFirstFile_MakeTheSinglePassTilesByteForByte()
    {
        using var folder = new TempFolder();
        // 29.97 fps: the 400-s marks the parts seek to fall between frames, the hard case for picking each interval's first.
        var master = await Ffmpeg.GenerateMasterAsync(folder.Combine("long.mp4"), 160, 90, "30000/1001", 810, audioChannels: 0);
        var duration = TimeSpan.FromSeconds(810);
        var plan = VideoFilters.Plan(new MasterInfo(duration, 160, 90, 30000 / 1001.0, false, PictureInfo.Square(160, 90)));
        var single = Directory.CreateDirectory(folder.Combine("single")).FullName;
        await FfmpegProcess.RunAsync("ffmpeg", LadderArguments.Build(master, single, plan, "ultrafast"), null, CancellationToken.None);

        var parts = Directory.CreateDirectory(folder.Combine("parts")).FullName;
        var count = TileParts.CountFor(duration, 3);
        Assert.Equal(3, count);
        for (var i = 0; i < count; i++)
        {
            var (first, files) = TileParts.Of(i, duration, 3);
            await FfmpegProcess.RunAsync("ffmpeg", LadderArguments.Tiles(master, parts, plan, first, files), null, CancellationToken.None);
        }

        var expected = Directory.GetFiles(single, "thumbs_*.jpg").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.Equal(["thumbs_1.jpg", "thumbs_2.jpg", "thumbs_3.jpg"], expected);
        Assert.Equal(expected, Directory.GetFiles(parts).Select(f => Path.GetFileName(f)).Order());
        Assert.All(expected, name => Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(parts, name))));
    }
}
