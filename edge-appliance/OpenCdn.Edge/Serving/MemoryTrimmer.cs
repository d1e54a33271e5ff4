using System.Runtime.InteropServices;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Gives memory back to the kernel after bursts of connections, every <see cref="Period"/>:
/// <list type="bullet">
/// <item>The C heap, after TLS sessions ended. OpenSSL allocates with <c>malloc</c>: a handshake's buffers and an ended
/// session's state are freed, but glibc keeps the pages of free memory that lies between live allocations, so a burst of
/// 1,000 TLS connections left the edge 40 MB larger after they had all closed (docs/benchmarks.md). When a session ended
/// since the last look, <c>malloc_trim(0)</c> returns those pages (a walk of the free lists, about a millisecond). Where
/// the C library has no <c>malloc_trim</c> (musl), it does nothing.</item>
/// <item>The managed heap, after a burst ended: under 1,000 busy HTTP/2 connections the GC's budget grew to 80 MB
/// committed for 14 MB of live objects, and an edge at rest allocates nothing, so no collection ever gave it back. When
/// the open connections fell to half of the most seen since the last trim, and by at least <see cref="Burst"/>, one
/// aggressive collection (blocking, compacting, decommitting) returns it, and the log says how much and how long the
/// edge paused for it. Steady load never triggers it.</item>
/// </list>
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider time, EdgeMetrics metrics, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>Connections a burst must have ended for the managed heap to be trimmed.</summary>
    public const int Burst = 256;

    private long _mostConnections;
    private bool _canTrimNative = true;

    /// <summary>Times the managed heap was trimmed.</summary>
    public long HeapTrims { get; private set; }

    private long _ended;
    private long _trimmedAt;

    /// <summary>Times the C heap was trimmed.</summary>
    public long Trims { get; private set; }

    /// <summary>Counts a TLS session whose OpenSSL state was freed.</summary>
    public void SessionEnded() => Interlocked.Increment(ref _ended);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _canTrimNative = _canTrimNative && TrimIfSessionsEnded();
                TrimHeapIfBurstEnded();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>Trims when a session ended since the last trim; false when this C library cannot trim (stop asking).</summary>
    internal bool TrimIfSessionsEnded()
    {
        var ended = Interlocked.Read(ref _ended);
        if (ended == _trimmedAt)
        {
            return true;
        }
        _trimmedAt = ended;
        try
        {
            _ = Libc.MallocTrim(0); // 1 when pages went back, 0 when there were none
            Trims++;
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Log.NoMallocTrim(logger, e.Message);
            return false;
        }
    }

    /// <summary>One aggressive collection when the open connections fell to half of the most seen, by a burst at least.</summary>
    internal void TrimHeapIfBurstEnded()
    {
        var open = metrics.ActiveConnections;
        _mostConnections = Math.Max(_mostConnections, open);
        if (_mostConnections - open < Burst || open > _mostConnections / 2)
        {
            return;
        }
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes; // as the last collection left it
        var paused = GC.GetTotalPauseDuration();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.HeapTrimmed(logger, _mostConnections, open, committed >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20,
            (GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
        _mostConnections = open;
        HeapTrims++;
    }

    private static partial class Libc
    {
        /// <summary><c>int malloc_trim(size_t pad)</c> (glibc).</summary>
        [LibraryImport("libc", EntryPoint = "malloc_trim")]
        public static partial int MallocTrim(nuint pad);
    }

    private static partial class Log
    {
        [LoggerMessage(513, LogLevel.Information,
            "The C library has no malloc_trim: memory freed by ended TLS sessions stays with the process ({Reason})")]
        public static partial void NoMallocTrim(ILogger logger, string reason);

        [LoggerMessage(514, LogLevel.Information,
            "Open connections fell from {Most} to {Open}: one collection took the managed heap from {BeforeMiB} to {AfterMiB} MiB committed "
            + "in a {PauseMilliseconds:F1} ms pause")]
        public static partial void HeapTrimmed(ILogger logger, long most, long open, long beforeMiB, long afterMiB, double pauseMilliseconds);
    }
}
