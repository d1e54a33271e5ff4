using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OpenCdn.ControlPlane.RateLimits;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>
/// Counts failed sign-ins per client address and per user name (fixed windows of the built-in rate limiter), so a
/// password guesser is stopped while people who type their password right are never slowed down.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly PartitionedRateLimiter<string> _users;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _addresses = Failures(limits.SignInFailuresPerAddress, TimeSpan.FromMinutes(1));
        _users = Failures(limits.SignInFailuresPerUser, limits.SignInUserWindow);
    }

    /// <summary>How long the address or the user name must wait; null when it may try now.</summary>
    public TimeSpan? Blocked(string address, string user) => Exhausted(_addresses, address) ?? Exhausted(_users, user);

    /// <summary>Counts a failed attempt against both.</summary>
    public void Failed(string address, string user)
    {
        _addresses.AttemptAcquire(address).Dispose();
        _users.AttemptAcquire(user).Dispose();
    }

    public void Dispose()
    {
        _addresses.Dispose();
        _users.Dispose();
    }

    private static TimeSpan? Exhausted(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key, 0); // 0 permits: asks whether any are left, takes none
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> Failures(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));
}
