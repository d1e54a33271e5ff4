namespace OpenCdn.Cli.Uploads;

/// <summary>Holds an upload to <c>--limit-rate</c> bytes per second on average, by waiting whenever it is ahead of schedule.</summary>
internal sealed class RatePacer(TimeProvider time, long? bytesPerSecond, long startOffset)
{
    private readonly long _started = time.GetTimestamp();

    public ValueTask WaitAsync(long offset, CancellationToken cancellationToken)
    {
        if (bytesPerSecond is not { } rate)
        {
            return ValueTask.CompletedTask;
        }
        var ahead = TimeSpan.FromSeconds((double)(offset - startOffset) / rate) - time.GetElapsedTime(_started);
        return ahead > TimeSpan.Zero ? new ValueTask(Task.Delay(ahead, time, cancellationToken)) : ValueTask.CompletedTask;
    }
}
