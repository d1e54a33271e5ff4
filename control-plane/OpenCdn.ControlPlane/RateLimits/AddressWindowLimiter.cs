using System.Net;

namespace OpenCdn.ControlPlane.RateLimits;

/// <summary>
/// Requests per client address in fixed windows, for a route every viewer calls: a count-min sketch (two rows of
/// counters, each address counted in one counter of each row, the smaller count taken) in constant memory (8 MiB),
/// at one hash and two atomic increments a request. Built for the playback route because ASP.NET Core's partitioned
/// limiter keeps a limiter per address and walks them all ten times a second: at fleet scale (20,000 sessions/s from
/// distinct addresses) that cost 28 µs of CPU a request and 200 MB (measured, docs/benchmarks.md). A shared counter
/// can only count too many, never too few: with about a million addresses a window, the chance that an address under
/// the limit is refused is negligible.
/// </summary>
internal sealed class AddressWindowLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private const int RowBits = 20;
    private const int RowMask = (1 << RowBits) - 1;
    private readonly Lock _roll = new();
    private Window _current = new(time.GetUtcNow(), new int[1 << RowBits], new int[1 << RowBits]);

    /// <summary>Counts one request from <paramref name="address"/>; false, with when the window ends, when it is over the limit.</summary>
    public bool TryAcquire(IPAddress address, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        var current = Current(now);
        var hash = (uint)address.GetHashCode();
        var mixed = hash * 0x9E3779B1u; // a second, independent-enough index from the same hash
        var count = Math.Min(
            Interlocked.Increment(ref current.A[(int)(hash & RowMask)]),
            Interlocked.Increment(ref current.B[(int)((mixed >> (32 - RowBits)) & RowMask)]));
        retryAfter = current.Start + window - now;
        return count <= limit;
    }

    private Window Current(DateTimeOffset now)
    {
        var current = Volatile.Read(ref _current);
        if (now < current.Start + window)
        {
            return current;
        }
        lock (_roll)
        {
            if (now >= _current.Start + window)
            {
                Volatile.Write(ref _current, new Window(now, new int[1 << RowBits], new int[1 << RowBits]));
            }
            return _current;
        }
    }

    private sealed record Window(DateTimeOffset Start, int[] A, int[] B);
}
