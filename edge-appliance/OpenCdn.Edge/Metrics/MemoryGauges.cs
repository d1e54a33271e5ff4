using System.Runtime.InteropServices;
using Prometheus;

namespace OpenCdn.Edge.Metrics;

/// <summary>
/// <c>opencdn_edge_memory_bytes{kind}</c>, read when <c>/metrics</c> is scraped: where the process's memory is — the
/// managed heap (its live size after the last collection, and what the GC holds committed) and the C heap that OpenSSL
/// allocates from (in use, and free but kept by glibc). RSS alone cannot tell a .NET object from a TLS buffer.
/// </summary>
internal static partial class MemoryGauges
{
    public static void Register(MetricFactory factory, CollectorRegistry registry)
    {
        var gauge = factory.CreateGauge("opencdn_edge_memory_bytes",
            "Memory by kind: managed_heap (the managed heap after the last collection), managed_committed (committed by the GC), "
            + "native_in_use and native_free (glibc's C heap, where OpenSSL allocates; absent without glibc).", "kind");
        var (heap, committed) = (gauge.WithLabels("managed_heap"), gauge.WithLabels("managed_committed"));
        Gauge.Child? inUse = null, free = null;
        registry.AddBeforeCollectCallback(() =>
        {
            var info = GC.GetGCMemoryInfo();
            heap.Set(info.HeapSizeBytes);
            committed.Set(info.TotalCommittedBytes);
            if (TryNativeHeap(out var used, out var unused))
            {
                inUse ??= gauge.WithLabels("native_in_use");
                free ??= gauge.WithLabels("native_free");
                inUse.Set(used);
                free.Set(unused);
            }
        });
    }

    private static bool TryNativeHeap(out double inUse, out double free)
    {
        (inUse, free) = (0, 0);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            var info = Native.MallInfo2();
            inUse = info.InUse + info.Mapped;
            free = info.Free;
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // musl has no mallinfo2
        }
    }

    /// <summary>glibc's <c>struct mallinfo2</c> (2.33 and later): every field a <c>size_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena;
        public nuint OrdinaryBlocks;
        public nuint SmallBlocks;
        public nuint MappedBlocks;
        public nuint Mapped;
        public nuint MaxUsed;
        public nuint FreeSmall;
        public nuint InUse;
        public nuint Free;
        public nuint KeepCost;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "mallinfo2")]
        public static partial MallocInfo MallInfo2();
    }
}
