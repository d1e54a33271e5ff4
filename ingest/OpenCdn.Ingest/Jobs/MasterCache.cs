using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Ingest.Probe;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// The worker's copy of the masters it is encoding parts of: a chunked title's planning job and every part this worker
/// takes afterwards fetch and probe the master once, not once per part. Keyed by the master's key, size and ETag (a new
/// upload under the same name is another master). Bounded: a master larger than
/// <see cref="ChunkingOptions.MasterCacheBytes"/> is fetched into the job's own folder as before, older entries go to
/// make room, and an entry unused for <see cref="ChunkingOptions.MasterCacheIdle"/> goes. An entry goes as soon as its
/// title is no longer transcoding that master (ready, failed, retired or replaced), checked before every fetch and
/// whenever the worker is idle (<see cref="SweepAsync"/>). The folder is this process's own (<see cref="MasterCacheFolder"/>).
/// </summary>
internal sealed partial class MasterCache(
    IObjectStore origin, MasterSource source, TitleStore titles, MasterCacheFolder folder, IOptions<ChunkingOptions> options,
    TimeProvider time, ILogger<MasterCache> logger) : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The cached masters' bytes (for tests and logs).</summary>
    public long Bytes { get { lock (_entries) { return _entries.Values.Sum(e => e.Size); } } }

    /// <summary>
    /// The master, fetched and probed, from the cache or from origin. <paramref name="jobFolder"/> takes it when it is too
    /// large to keep (it goes with the job's folder).
    /// </summary>
    public async Task<ProbedMaster> FetchAsync(string titleId, string masterKey, string jobFolder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var head = await origin.HeadAsync(masterKey, cancellationToken)
                ?? throw new MasterRejectedException(FailureKind.MasterMissing, $"{masterKey} is missing from origin");
            var id = IdOf(head);
            if (Find(id) is { } hit)
            {
                hit.LastUsed = time.GetTimestamp();
                Log.Hit(logger, titleId, head.Size);
                return hit.Master;
            }
            await SweepLockedAsync(cancellationToken);
            var limit = options.Value.MasterCacheBytes;
            var started = Stopwatch.GetTimestamp();
            if (head.Size > limit)
            {
                Log.TooLarge(logger, titleId, head.Size, limit);
                return await source.FetchAsync(masterKey, jobFolder, cancellationToken);
            }
            MakeRoom(limit - head.Size);
            var target = folder.EntryPath(id);
            MasterCacheFolder.Delete(target);
            Directory.CreateDirectory(target);
            try
            {
                var master = await source.FetchAsync(masterKey, target, cancellationToken);
                lock (_entries)
                {
                    _entries[id] = new Entry(titleId, masterKey, target, head.Size, master) { LastUsed = time.GetTimestamp() };
                }
                Log.Fetched(logger, titleId, head.Size, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return master;
            }
            catch
            {
                MasterCacheFolder.Delete(target);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the title's masters (its package is published, or a single pass is over).</summary>
    public void Forget(string titleId)
    {
        foreach (var entry in Snapshot().Where(e => e.TitleId == titleId))
        {
            Remove(entry);
        }
    }

    /// <summary>Drops entries unused for too long and those whose title no longer transcodes that master.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (Snapshot().Count == 0 || !await _gate.WaitAsync(0, cancellationToken))
        {
            return; // nothing to sweep, or a job is fetching (it sweeps itself)
        }
        try
        {
            await SweepLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task SweepLockedAsync(CancellationToken cancellationToken)
    {
        var idle = options.Value.MasterCacheIdle;
        foreach (var entry in Snapshot())
        {
            var title = await titles.GetAsync(entry.TitleId, cancellationToken);
            if (time.GetElapsedTime(entry.LastUsed) > idle || title is null || title.Status != TitleStatus.Transcoding
                || title.MasterKey != entry.MasterKey)
            {
                Remove(entry);
            }
        }
    }

    /// <summary>The least recently used entries go until the cache holds at most <paramref name="bytes"/>.</summary>
    private void MakeRoom(long bytes)
    {
        foreach (var entry in Snapshot().OrderBy(e => e.LastUsed))
        {
            if (Bytes <= bytes)
            {
                return;
            }
            Remove(entry);
        }
    }

    private void Remove(Entry entry)
    {
        lock (_entries)
        {
            _entries.Remove(entry.Id);
        }
        MasterCacheFolder.Delete(entry.Path);
        Log.Dropped(logger, entry.TitleId, entry.Size);
    }

    private Entry? Find(string id)
    {
        lock (_entries)
        {
            return _entries.GetValueOrDefault(id);
        }
    }

    private List<Entry> Snapshot()
    {
        lock (_entries)
        {
            return [.. _entries.Values];
        }
    }

    private static string IdOf(ObjectInfo head) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{head.Key}\n{head.Size}\n{head.ETag}")))[..32];

    private sealed record Entry(string TitleId, string MasterKey, string Path, long Size, ProbedMaster Master)
    {
        public string Id => System.IO.Path.GetFileName(Path);

        public long LastUsed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(230, LogLevel.Information,
            "Title {TitleId}: master fetched and probed in {Seconds:0.00} s ({Bytes} bytes; kept for the title's other parts)")]
        public static partial void Fetched(ILogger logger, string titleId, long bytes, double seconds);

        [LoggerMessage(231, LogLevel.Information, "Title {TitleId}: master taken from this worker's cache ({Bytes} bytes)")]
        public static partial void Hit(ILogger logger, string titleId, long bytes);

        [LoggerMessage(232, LogLevel.Information,
            "Title {TitleId}: master of {Bytes} bytes is larger than the master cache ({Limit} bytes); fetched for this job only")]
        public static partial void TooLarge(ILogger logger, string titleId, long bytes, long limit);

        [LoggerMessage(233, LogLevel.Information, "Title {TitleId}: master dropped from this worker's cache ({Bytes} bytes)")]
        public static partial void Dropped(ILogger logger, string titleId, long bytes);
    }
}
