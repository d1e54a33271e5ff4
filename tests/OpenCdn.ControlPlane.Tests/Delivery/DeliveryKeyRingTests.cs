using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Delivery;

/// <summary>Delivery keys rotate on schedule, and a replaced key keeps working for as long as a token signed with it can live.</summary>
public sealed class DeliveryKeyRingTests : IDisposable
{
    private static readonly TimeSpan Rotation = TimeSpan.FromDays(7);
    private static readonly TimeSpan Overlap = TimeSpan.FromHours(8);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AfterARotation_OldTokensStillCheck_UntilTheOverlapEnds()
    {
        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);
        var first = ring.Current;
        _clock.Advance(Rotation - TimeSpan.FromHours(1));
        var token = DeliveryToken.Issue(ring.Current, "t1", _clock.GetUtcNow() + Overlap); // a session started just before the rotation

        _clock.Advance(TimeSpan.FromHours(2));
        var second = ring.Current;
        var duringOverlap = DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), ring.Find);
        var liveDuringOverlap = ring.Live.Select(k => k.Id).ToList();
        _clock.Advance(Overlap + TimeSpan.FromSeconds(1));
        var afterOverlap = ring.Find(first.Id);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(TokenCheck.Valid, duringOverlap);
        Assert.Equal([second.Id, first.Id], liveDuringOverlap);
        Assert.Null(afterOverlap);
        Assert.Single(ring.Live);
        Assert.Single(Directory.GetFiles(_folder.Path, "delivery-*.key"));
    }

    [Fact]
    public void KeysSurviveARestart_AndEachLiveKeySaysWhenEdgesMayDropIt()
    {
        var before = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap).Current;
        _clock.Advance(Rotation + TimeSpan.FromHours(1));

        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);

        Assert.Equal(before.Secret, ring.Find(before.Id));
        Assert.Equal(ring.Current.NotAfter, _clock.GetUtcNow() + Rotation + Overlap);
        Assert.Equal(_clock.GetUtcNow() + Overlap, ring.Live[1].NotAfter); // replaced just now: live one overlap more
    }

    public void Dispose() => _folder.Dispose();
}
