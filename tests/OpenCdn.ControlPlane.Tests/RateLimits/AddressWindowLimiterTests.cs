using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.ControlPlane.RateLimits;

namespace OpenCdn.ControlPlane.Tests.RateLimits;

/// <summary>The playback limit's counter: per address, per window, and never refusing an address for another's requests.</summary>
public sealed class AddressWindowLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AnAddressOverItsLimit_IsRefusedUntilTheWindowEnds_OthersAreNot()
    {
        var limiter = new AddressWindowLimiter(3, TimeSpan.FromMinutes(1), _clock);
        var busy = IPAddress.Parse("203.0.113.7");

        var first = Enumerable.Range(0, 3).Select(i => limiter.TryAcquire(busy, out var ignored)).ToList();
        var fourth = limiter.TryAcquire(busy, out var retryAfter);
        var other = limiter.TryAcquire(IPAddress.Parse("203.0.113.8"), out _);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var nextWindow = limiter.TryAcquire(busy, out _);

        Assert.All(first, Assert.True);
        Assert.False(fourth);
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.True(other);
        Assert.True(nextWindow);
    }

    [Fact]
    public void AMillionAddressesInOneWindow_RefuseNoneThatStayedUnderTheLimit()
    {
        var limiter = new AddressWindowLimiter(120, TimeSpan.FromMinutes(1), _clock);
        var refused = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            var address = new IPAddress(BitConverter.GetBytes(0x0A000000 + i)); // one request each from 1,000,000 addresses
            refused += limiter.TryAcquire(address, out _) ? 0 : 1;
        }

        Assert.Equal(0, refused);
    }
}
