using System.Diagnostics;
using System.Net;
using OpenCdn.Steering.Decisions;

namespace OpenCdn.Steering.Bench;

/// <summary>Runs a decider over a fixed request list: throughput for a fixed time on N threads, and per-call latency.</summary>
internal static class Harness
{
    public delegate SteeringDecision Decider(string titleId, IPAddress client);

    private const int CheckEvery = 4096;

    /// <summary>Process CPU seconds per wall second in the last throughput run (2.0 = both cores busy for us).</summary>
    public static double LastCpuPerWall { get; private set; }

    /// <summary>Decisions per second over all threads, each walking its own part of the requests for ~<paramref name="duration"/>.</summary>
    public static double Throughput(Decider decide, (string Title, IPAddress Client)[] requests, int threads, TimeSpan duration,
        Action? everyBatchOnThread0 = null)
    {
        var counts = new long[threads];
        using var start = new Barrier(threads + 1);
        var stopAt = 0L;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var i = requests.Length / threads * t;
            var done = 0L;
            var sink = 0;
            start.SignalAndWait();
            while (true)
            {
                for (var k = 0; k < CheckEvery; k++)
                {
                    var (title, client) = requests[i];
                    sink += decide(title, client).Count;
                    i = i + 1 == requests.Length ? 0 : i + 1;
                }
                done += CheckEvery;
                if (t == 0)
                {
                    everyBatchOnThread0?.Invoke();
                }
                if (Stopwatch.GetTimestamp() >= Volatile.Read(ref stopAt))
                {
                    break;
                }
            }
            counts[t] = done + (sink == int.MinValue ? 1 : 0);
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var began = Stopwatch.GetTimestamp();
        Volatile.Write(ref stopAt, began + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        start.SignalAndWait();
        foreach (var worker in workers)
        {
            worker.Join();
        }
        var wall = Stopwatch.GetElapsedTime(began).TotalSeconds;
        LastCpuPerWall = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds / wall;
        return counts.Sum() / wall;
    }

    /// <summary>Per-call latency percentiles (µs) of <paramref name="calls"/> decisions on each of <paramref name="threads"/> threads.</summary>
    public static (double P50, double P99, double P999, double Max) Latency(Decider decide, (string Title, IPAddress Client)[] requests,
        int threads, int calls, Action? everyBatchOnThread0 = null)
    {
        var samples = new long[threads * calls];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var offset = requests.Length / threads * t;
            for (var k = 0; k < calls; k++)
            {
                var (title, client) = requests[(offset + k) % requests.Length];
                var before = Stopwatch.GetTimestamp();
                decide(title, client);
                samples[(t * calls) + k] = Stopwatch.GetTimestamp() - before;
                if (t == 0 && k % CheckEvery == 0)
                {
                    everyBatchOnThread0?.Invoke();
                }
            }
        });
        Array.Sort(samples);
        double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        return (Micros(samples[samples.Length / 2]), Micros(samples[(int)(samples.Length * 0.99)]),
            Micros(samples[(int)(samples.Length * 0.999)]), Micros(samples[^1]));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Time(Action action) => TimeWithCpu(action).WallMs;

    /// <summary>Wall milliseconds, and process CPU milliseconds over the same span (for a one-thread action, its own work).</summary>
    public static (double WallMs, double CpuMs) TimeWithCpu(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var cpu = Environment.CpuUsage.TotalTime;
        var began = Stopwatch.GetTimestamp();
        action();
        return (Stopwatch.GetElapsedTime(began).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }
}
