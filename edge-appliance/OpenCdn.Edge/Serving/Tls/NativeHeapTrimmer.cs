using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Gives the C heap's free pages back to the kernel after TLS sessions ended. OpenSSL allocates with <c>malloc</c>: a
/// handshake's buffers and an ended session's state are freed, but glibc keeps the pages of free memory that lies between
/// live allocations, so a burst of 1,000 TLS connections left the edge 40 MB larger after they had all closed
/// (docs/benchmarks.md). Every <see cref="Period"/>, when a session ended since the last look, <c>malloc_trim(0)</c>
/// returns those pages (a walk of the free lists, about a millisecond). Where the C library has no <c>malloc_trim</c>
/// (musl), it does nothing.
/// </summary>
internal sealed partial class NativeHeapTrimmer(TimeProvider time, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

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
            while (await timer.WaitForNextTickAsync(stoppingToken) && TrimIfSessionsEnded())
            {
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
    }
}
