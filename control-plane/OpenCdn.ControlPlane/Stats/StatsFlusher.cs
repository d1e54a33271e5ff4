using Microsoft.Extensions.Options;

namespace OpenCdn.ControlPlane.Stats;

/// <summary>
/// Adds what this instance counted to the fleet's totals in the catalog database every
/// <see cref="StatsOptions.FlushInterval"/>, and once more when the host stops. Counting itself stays in memory: the
/// requests that count never wait on the database. Reads of the totals wait for a flush under way, so the stored
/// totals and this instance's part not flushed yet never overlap or miss each other.
/// </summary>
internal abstract partial class StatsFlusher(IOptions<StatsOptions> options, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>What the flush is of, for the log.</summary>
    protected abstract string What { get; }

    /// <summary>One flush now; also what tests call to flush without waiting for the timer.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await TryFlushAsync(cancellationToken); // a clean stop loses nothing counted since the last tick
        }
        catch (OperationCanceledException e)
        {
            Log.FlushFailed(logger, e, What); // the host's shutdown timeout ran out first
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TryFlushAsync(stoppingToken);
        }
    }

    /// <summary>Adds what was counted since the previous flush to the stored totals; keeps it for the next flush when that fails.</summary>
    protected abstract Task WriteAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="read"/> while no flush is under way.</summary>
    protected async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await read(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FlushFailed(logger, e, What); // the counts stay in memory; the next flush tries again
        }
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Adding this instance's {What} to the fleet's totals failed; the next flush tries again")]
        public static partial void FlushFailed(ILogger logger, Exception exception, string what);
    }
}
