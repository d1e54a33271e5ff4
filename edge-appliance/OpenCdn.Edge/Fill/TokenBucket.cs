namespace OpenCdn.Edge.Fill;

/// <summary>
/// A byte-rate cap shared by every download (or by the scrubber's reads): bursts up to a tenth of a second of the rate,
/// then callers wait in turn. A rate of 0 is no cap.
/// </summary>
internal sealed class TokenBucket : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _capacity;
    private double _tokens;
    private long _stamp;

    public TokenBucket(long bytesPerSecond, TimeProvider time)
    {
        _time = time;
        _rate = bytesPerSecond;
        _capacity = Math.Max(64 * 1024, bytesPerSecond / 10.0);
        _tokens = _capacity;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="bytes"/> tokens, waiting until the bucket has paid them back.</summary>
    public async ValueTask TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        if (_rate <= 0)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Refill();
            _tokens -= bytes;
            if (_tokens < 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(-_tokens / _rate), _time, cancellationToken);
                Refill();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_stamp, now).TotalSeconds * _rate));
        _stamp = now;
    }
}
