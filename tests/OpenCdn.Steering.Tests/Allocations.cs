namespace OpenCdn.Steering.Tests;

/// <summary>Counts what the current thread allocates.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes the current thread allocates in <paramref name="action"/>: the fewest over a few rounds. A collection set off
    /// by another thread mid-round can shift the thread's count by part of an allocation quantum (dotnet/coreclr#10207,
    /// 7,512 bytes on a busy CI machine); a real allocation shows in every round.
    /// </summary>
    public static long Fewest(Action action, int rounds = 5)
    {
        var fewest = long.MaxValue;
        for (var round = 0; round < rounds && fewest > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
