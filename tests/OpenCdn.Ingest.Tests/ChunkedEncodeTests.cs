using System.Globalization;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// A long master (here: longer than a 10-s threshold, in 8-s chunks) is encoded as chunk jobs on the queue and
/// assembled into the package a single pass makes of it. Each worker fetches and probes the master once for all the parts
/// it takes (its master cache), and keeps nothing once the title is ready.
/// </summary>
public sealed class ChunkedEncodeTests : IAsyncLifetime
{
    private const int ChunkSeconds = 8;
    private const string FrameRate = "30000/1001"; // 4-s boundaries fall between frames: the hard case for seams
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private static readonly Dictionary<string, string> SinglePass = new() { ["OpenCdn:Ingest:Chunking:ThresholdSeconds"] = "0" };
    private readonly PlatformProcesses _platform = PlatformProcesses.With(new Dictionary<string, string>
    {
        ["OpenCdn:Ingest:Chunking:ThresholdSeconds"] = "10",
        ["OpenCdn:Ingest:Chunking:ChunkSeconds"] = ChunkSeconds.ToString(CultureInfo.InvariantCulture),
    });

    private readonly TempFolder _masters = new();

    public Task InitializeAsync() => _platform.InitializeAsync();

    [Fact]
    public async Task LongMaster_ChunkedWithAWorkerKilledMidChunk_MatchesTheSinglePassFrameForFrame()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("long.mp4"), 640, 360, FrameRate, 20, audioChannels: 2);
        using var admin = await _platform.AdminAsync();

        // The reference: the same master in one pass, by a worker with chunking off.
        await _platform.Worker!.DisposeAsync();
        await _platform.StartWorkerAsync(SinglePass);
        var single = await admin.UploadAsync("One pass", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(single, Transcode)).Status());
        Assert.DoesNotContain("cut into", _platform.Worker!.Output, StringComparison.Ordinal);
        await _platform.Worker.DisposeAsync();

        // Chunked: the worker is killed while it encodes the second chunk; the next worker encodes that chunk and the last.
        await _platform.StartWorkerAsync();
        var chunked = await admin.UploadAsync("Chunks", master);
        await _platform.Worker!.WaitForLineAsync(line => line.Contains($"Title {chunked}: encoding part c0001", StringComparison.Ordinal), Transcode);
        var killed = _platform.Worker.Output;
        await _platform.Worker.DisposeAsync(); // SIGKILL to the worker and its FFmpeg
        Assert.Contains("cut into 3 chunks of 8 s and a tracks part", killed, StringComparison.Ordinal);
        Assert.Contains("part tracks done (1 of 4)", killed, StringComparison.Ordinal);
        Assert.Contains("part c0000 done (2 of 4)", killed, StringComparison.Ordinal);
        // The planning job fetched and probed the master; the tracks part and the chunks took this worker's copy.
        Assert.Equal(1, Count(killed, $"Title {chunked}: master fetched and probed"));
        Assert.InRange(Count(killed, $"Title {chunked}: master taken from this worker's cache"), 2, 3); // tracks, c0000 (c0001?)
        var caches = _platform.Data.Combine("work", "_masters");
        Assert.Single(Directory.GetDirectories(caches)); // the killed worker's copy is still on disk
        await _platform.StartWorkerAsync();
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(chunked, Transcode)).Status());
        // The assembling worker drops its copy right after publishing (the title is ready a moment before).
        await _platform.Worker!.WaitForLineAsync(
            line => line.Contains($"Title {chunked}: master dropped from this worker's cache", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var after = _platform.Worker.Output;
        Assert.Contains("encoding part c0001", after, StringComparison.Ordinal);
        Assert.Contains("encoding part c0002", after, StringComparison.Ordinal);
        Assert.DoesNotContain("encoding part c0000", after, StringComparison.Ordinal); // one chunk lost, not the title
        Assert.DoesNotContain("encoding part tracks", after, StringComparison.Ordinal);
        Assert.Equal(1, Count(after, $"Title {chunked}: master fetched and probed"));
        Assert.Equal(1, Count(after, $"Title {chunked}: master taken from this worker's cache"));
        Assert.Equal(1, Count(after, $"Title {chunked}: master dropped from this worker's cache"));
        // Nothing is kept once the title is ready, and the dead worker's copy went when the next worker started.
        var left = Directory.GetDirectories(caches);
        Assert.Single(left);
        Assert.Equal([".lock"], Directory.EnumerateFileSystemEntries(left[0]).Select(Path.GetFileName));
        var scratch = _platform.Data.Combine("origin", "objects", "chunks", chunked);
        Assert.False(Directory.Exists(scratch) && Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories).Any(), "scratch is gone");

        var reference = PackageChecks.Read(_platform, single, 1);
        var package = PackageChecks.Read(_platform, chunked, 1);
        Assert.Equal(reference.DurationSeconds, package.DurationSeconds);
        Assert.Equal(reference.Representations.Select(r => r.Id), package.Representations.Select(r => r.Id));
        foreach (var (expected, actual) in reference.Representations.Zip(package.Representations))
        {
            Assert.Equal((expected.Kind, expected.Codecs, expected.Timescale, expected.PresentationTimeOffset, expected.Width, expected.Height),
                (actual.Kind, actual.Codecs, actual.Timescale, actual.PresentationTimeOffset, actual.Width, actual.Height));
            Assert.Equal(expected.FrameRate, actual.FrameRate);
            Assert.Equal(expected.InitRange, actual.InitRange);
            Assert.Equal(expected.Segments?.Count, actual.Segments?.Count);
        }
        foreach (var video in package.Representations.Where(r => r.Kind == MediaKind.Video))
        {
            var path = PackageChecks.FileOf(_platform, package, video);
            var referencePath = PackageChecks.FileOf(_platform, reference, reference.Representations.Single(r => r.Id == video.Id));
            PackageChecks.AssertLayout(path, video);
            Assert.Equal(
                PackageChecks.TopLevelBoxes(File.ReadAllBytes(referencePath)).Select(b => b.Type),
                PackageChecks.TopLevelBoxes(File.ReadAllBytes(path)).Select(b => b.Type));
            Assert.Equal(File.ReadAllBytes(referencePath)[..(int)(video.InitRange!.Value.Last + 1)],
                File.ReadAllBytes(path)[..(int)(video.InitRange!.Value.Last + 1)]); // the same codec setup, byte for byte
            // Every frame at the same time, keyframes on the same frames: no gap, no duplicate, no shift at a seam.
            Assert.Equal(await FramesAsync(referencePath), await FramesAsync(path));
        }
        // The trick-play tiles, from the chunks' thumbnails: the same bytes.
        var tiles = Directory.GetFiles(_platform.Data.Combine("origin", "objects", "titles", single, "v1"), "thumbs_*.jpg");
        Assert.NotEmpty(tiles);
        foreach (var tile in tiles)
        {
            var same = _platform.Data.Combine("origin", "objects", "titles", chunked, "v1", Path.GetFileName(tile));
            Assert.Equal(File.ReadAllBytes(tile), File.ReadAllBytes(same));
        }
        // Audio is encoded once, whole, as the single pass does: the same bytes, so A/V sync rests on the video timeline.
        Assert.Equal(
            reference.Representations.Where(r => r.Kind == MediaKind.Audio).Select(r => r.Sha256),
            package.Representations.Where(r => r.Kind == MediaKind.Audio).Select(r => r.Sha256));

        // At each seam the frames on either side show the master's picture for their own time, not a neighbour's.
        var top = package.Representations.First(r => r.Kind == MediaKind.Video);
        var chunkedTop = PackageChecks.FileOf(_platform, package, top);
        var singleTop = PackageChecks.FileOf(_platform, reference, reference.Representations.Single(r => r.Id == top.Id));
        foreach (var seconds in new[] { ChunkSeconds, 2 * ChunkSeconds })
        {
            var seam = (int)Math.Ceiling(seconds * 30000.0 / 1001 - 1e-6);
            foreach (var frame in new[] { seam - 1, seam })
            {
                var same = await PsnrAsync(chunkedTop, frame, singleTop, frame);
                Assert.True(same > await PsnrAsync(chunkedTop, frame, singleTop, frame - 1), $"frame {frame} is not the one before it");
                Assert.True(same > await PsnrAsync(chunkedTop, frame, singleTop, frame + 1), $"frame {frame} is not the one after it");
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        _masters.Dispose();
    }

    private static int Count(string output, string text)
    {
        var count = 0;
        for (var at = output.IndexOf(text, StringComparison.Ordinal); at >= 0; at = output.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>Every frame's presentation timestamp and keyframe flag, in presentation order.</summary>
    private static async Task<List<string>> FramesAsync(string path)
    {
        var output = await Ffmpeg.ProbeAsync("-select_streams", "v:0", "-show_entries", "frame=pts,key_frame", "-of", "csv=p=0", path);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => string.Join(',', line.Split(',').Take(2))).ToList();
    }

    /// <summary>The PSNR (dB) between frame <paramref name="a"/> of one file and frame <paramref name="b"/> of another.</summary>
    private async Task<double> PsnrAsync(string first, int a, string second, int b)
    {
        var stats = _masters.Combine($"psnr_{Guid.NewGuid():N}.log");
        await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", first, "-i", second, "-lavfi",
            $"[0:v]select='eq(n\\,{a})',setpts=0[x];[1:v]select='eq(n\\,{b})',setpts=0[y];[x][y]psnr=stats_file={stats}", "-f", "null", "-"]);
        var line = (await File.ReadAllLinesAsync(stats)).Single(l => l.Length > 0);
        var value = line.Split(' ').Single(f => f.StartsWith("psnr_avg:", StringComparison.Ordinal))["psnr_avg:".Length..];
        return value == "inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);
    }
}
