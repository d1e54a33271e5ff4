using System.Security.Cryptography;

namespace OpenCdn.Edge.ControlPlane;

/// <summary>Exponential reconnect delay with jitter, from <c>initial</c> doubling up to <c>max</c>; reset after a success.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures++, 16);
        var delay = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = RandomNumberGenerator.GetInt32(0, 1000) / 1000.0 * 0.2 * delay; // up to +20 %: edges of a site do not retry in step
        return TimeSpan.FromMilliseconds(delay + jitter);
    }

    public void Reset() => _failures = 0;
}
