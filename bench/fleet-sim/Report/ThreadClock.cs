using System.Runtime.InteropServices;

namespace OpenCdn.FleetSim.Report;

/// <summary>
/// CPU seconds the calling thread has used (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared machine a phase's wall
/// time counts the other processes' turns too, its thread's CPU time does not. 0 where the clock is not available.
/// </summary>
internal static class ThreadClock
{
    private const int ThreadCpuTime = 3;

    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        return ClockGetTime(ThreadCpuTime, out var time) == 0 ? time.Seconds + (time.Nanoseconds / 1e9) : 0;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
