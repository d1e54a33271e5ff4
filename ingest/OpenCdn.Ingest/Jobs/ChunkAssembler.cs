using OpenCdn.Catalog.Chunks;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Packaging;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Assembles a chunked encode once every part is done: the tracks part's files as they are, each rendition's chunks
/// joined into one fragmented MP4 with one top-level sidx (<see cref="FragmentJoiner"/>), the chunks' thumbnails tiled
/// (<see cref="Thumbnails.TileAsync"/>), then the same package, publish
/// and ready step as a single pass (<see cref="PackagePublisher"/>). The scratch prefix and the catalog's chunk rows go
/// once the title is ready.
/// </summary>
internal sealed partial class ChunkAssembler(
    IObjectStore origin, ChunkStore chunks, PackagePublisher publisher, WorkFolder work, TimeProvider time, ILogger<ChunkAssembler> logger)
{
    public async Task AssembleAsync(string titleId, ChunkJob job, ProbedMaster master, string folder, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var stage = JobActivities.StartStage("ingest.assemble");
        if (job.Rungs is null)
        {
            master = MasterSource.WithRungs(master, await LadderAsync(titleId, job.Version, cancellationToken)); // the tracks part
        }
        var output = Directory.CreateDirectory(Path.Combine(folder, "assembled")).FullName;
        var parts = Directory.CreateDirectory(Path.Combine(folder, "parts")).FullName;
        var tracks = OriginKeys.ChunkFile(titleId, job.Version, TracksPart(job), "");
        await foreach (var file in origin.ListAsync(tracks, cancellationToken))
        {
            await DownloadAsync(file.Key, Path.Combine(output, file.Key[tracks.Length..]), cancellationToken);
        }
        foreach (var rendition in master.Video.VideoFiles())
        {
            var files = await DownloadChunksAsync(titleId, job, rendition, parts, cancellationToken);
            await FragmentJoiner.JoinAsync(files, Path.Combine(output, rendition), cancellationToken);
            files.ForEach(File.Delete);
        }
        await Thumbnails.TileAsync(
            work.Ffmpeg, await DownloadChunksAsync(titleId, job, Thumbnails.CellsFile, parts, cancellationToken), output, cancellationToken);
        var joined = time.GetElapsedTime(started);
        var ready = await publisher.PublishAsync(titleId, job.Version, output, master, cancellationToken);
        Log.Assembled(logger, titleId, job.Version, job.ChunkCount, joined.TotalSeconds, time.GetElapsedTime(started).TotalSeconds, ready);
        await foreach (var file in origin.ListAsync(OriginKeys.ChunkPrefix(titleId, job.Version), cancellationToken))
        {
            await origin.DeleteAsync(file.Key, cancellationToken);
        }
        await chunks.ForgetAsync(titleId, job.Version, cancellationToken);
    }

    /// <summary>Every video chunk's <paramref name="file"/>, downloaded into <paramref name="parts"/>, in chunk order.</summary>
    private async Task<List<string>> DownloadChunksAsync(string titleId, ChunkJob job, string file, string parts, CancellationToken cancellationToken)
    {
        var files = new List<string>(job.ChunkCount);
        for (var i = 0; i < job.ChunkCount; i++)
        {
            var part = (job with { Part = ChunkPart.Video, ChunkIndex = i }).PartName;
            var local = Path.Combine(parts, $"{part}_{file}");
            await DownloadAsync(OriginKeys.ChunkFile(titleId, job.Version, part, file), local, cancellationToken);
            files.Add(local);
        }
        return files;
    }

    private static string TracksPart(ChunkJob job) => (job with { Part = ChunkPart.Tracks }).PartName;

    /// <summary>The ladder the planning worker chose (<see cref="ChunkPlanner.QueueVideoAsync"/>).</summary>
    private async Task<IReadOnlyList<ChunkRung>> LadderAsync(string titleId, int version, CancellationToken cancellationToken)
    {
        var key = OriginKeys.ChunkLadder(titleId, version);
        await using var source = await origin.GetAsync(key, null, cancellationToken)
            ?? throw new InvalidDataException($"The chunked encode's ladder {key} is missing from origin.");
        using var json = new MemoryStream();
        await source.Body.CopyToAsync(json, cancellationToken);
        return ChunkLadder.FromJson(json.ToArray())?.Rungs ?? throw new InvalidDataException($"The chunked encode's ladder {key} is malformed.");
    }

    private async Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var source = await origin.GetAsync(key, null, cancellationToken)
            ?? throw new InvalidDataException($"Chunk output {key} is missing from origin.");
        await using var target = File.Create(path);
        await source.Body.CopyToAsync(target, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(225, LogLevel.Information,
            "Title {TitleId}: package v{Version} assembled from {Chunks} chunks (joined in {JoinSeconds:0.00} s, "
            + "published in {TotalSeconds:0.00} s); ready: {Ready}")]
        public static partial void Assembled(
            ILogger logger, string titleId, int version, int chunks, double joinSeconds, double totalSeconds, bool ready);
    }
}
