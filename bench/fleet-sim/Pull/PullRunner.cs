using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OpenCdn.FleetSim.Model;
using OpenCdn.FleetSim.Report;

namespace OpenCdn.FleetSim.Pull;

/// <summary>
/// Runs the pull baselines beside push, each on a thread of its own, fed a copy of every hour's plays through a bounded
/// queue. They share no state with push, so neither waits for the other hour by hour: a planning hour of push is long
/// and a pull hour short, and in lockstep each would idle through the other's long hours. The bound keeps at most
/// <see cref="HoursAhead"/> hours of plays in memory.
/// </summary>
internal sealed class PullRunner : IDisposable
{
    private const int HoursAhead = 48;

    private readonly BlockingCollection<Hour>[] _queues;
    private readonly ConcurrentBag<PlayBatch> _free = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;

    public PullRunner(IReadOnlyList<PullFleet> pulls)
    {
        _queues = [.. pulls.Select(_ => new BlockingCollection<Hour>(HoursAhead))];
        _workers = [.. pulls.Select((pull, k) => Task.Factory.StartNew(() => Work(pull, _queues[k]), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default))];
    }

    /// <summary>Hands the hour's plays to every baseline (a copy: the caller reuses its batch).</summary>
    public void Feed(int hour, PlayBatch plays)
    {
        if (_queues.Length == 0)
        {
            return;
        }
        var copy = _free.TryTake(out var batch) ? batch : new PlayBatch();
        copy.CopyFrom(plays);
        var shared = new Hour(hour, copy, new StrongBox<int>(_queues.Length));
        try
        {
            foreach (var queue in _queues)
            {
                queue.Add(shared, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Finish(); // a baseline failed: this throws its exception
            throw;
        }
    }

    /// <summary>Waits until every baseline has played every hour fed; throws what failed in one.</summary>
    public void Finish()
    {
        foreach (var queue in _queues)
        {
            queue.CompleteAdding();
        }
        Task.WaitAll(_workers);
    }

    public void Dispose()
    {
        _stop.Cancel(); // after a failure on push's side the baselines stop where they are; that failure is the one to report
        try
        {
            Task.WaitAll(_workers);
        }
        catch (AggregateException)
        {
        }
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }
        _stop.Dispose();
    }

    private void Work(PullFleet pull, BlockingCollection<Hour> queue)
    {
        var started = ThreadClock.Seconds();
        try
        {
            foreach (var hour in queue.GetConsumingEnumerable(_stop.Token))
            {
                pull.Step(hour.Index, hour.Plays);
                if (Interlocked.Decrement(ref hour.Readers.Value) == 0)
                {
                    _free.Add(hour.Plays);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _stop.Cancel();
            throw;
        }
        finally
        {
            pull.Ledger.CpuSeconds = ThreadClock.Seconds() - started;
        }
    }

    private sealed record Hour(int Index, PlayBatch Plays, StrongBox<int> Readers);
}
