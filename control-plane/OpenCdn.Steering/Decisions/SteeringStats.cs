namespace OpenCdn.Steering.Decisions;

/// <summary>
/// Outcome counters, striped by processor so that concurrent decisions rarely touch the same cache line; a read sums
/// the stripes (a consistent total is not needed for shares).
/// </summary>
internal sealed class SteeringStats
{
    private const int Outcomes = 5;
    private const int Stride = 16; // 16 longs = 128 bytes per stripe: no false sharing between stripes
    private readonly long[] _cells;
    private readonly int _stripeMask;

    public SteeringStats()
    {
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _stripeMask = stripes - 1;
        _cells = new long[stripes * Stride];
    }

    public void Record(SteeringOutcome outcome)
    {
        var stripe = Thread.GetCurrentProcessorId() & _stripeMask;
        Interlocked.Increment(ref _cells[(stripe * Stride) + (int)outcome]);
    }

    public SteeringCounts Read()
    {
        Span<long> sums = stackalloc long[Outcomes];
        for (var stripe = 0; stripe <= _stripeMask; stripe++)
        {
            for (var outcome = 0; outcome < Outcomes; outcome++)
            {
                sums[outcome] += Volatile.Read(ref _cells[(stripe * Stride) + outcome]);
            }
        }
        return new SteeringCounts(sums[(int)SteeringOutcome.Hit], sums[(int)SteeringOutcome.ContentMiss],
            sums[(int)SteeringOutcome.HealthMiss], sums[(int)SteeringOutcome.Other], sums[(int)SteeringOutcome.UnknownTitle]);
    }
}
