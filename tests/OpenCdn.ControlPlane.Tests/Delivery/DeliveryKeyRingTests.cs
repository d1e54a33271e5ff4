using System.Security.Cryptography;
using System.Text;
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
    private static readonly string Edge = DeliveryAudience.Edge("e000000000001");
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AfterARotation_OldTokensStillCheck_UntilTheOverlapEnds()
    {
        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);
        var first = ring.Current(Edge);
        _clock.Advance(Rotation - TimeSpan.FromHours(1));
        var token = DeliveryToken.Issue(ring.Current(Edge), "t1", _clock.GetUtcNow() + Overlap); // a session started just before the rotation

        _clock.Advance(TimeSpan.FromHours(2));
        var second = ring.Current(Edge);
        var duringOverlap = DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(Edge, id));
        var liveDuringOverlap = ring.Live(Edge).Select(k => k.Id).ToList();
        _clock.Advance(Overlap + TimeSpan.FromSeconds(1));
        var afterOverlap = ring.Find(Edge, first.Id);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(TokenCheck.Valid, duringOverlap);
        Assert.Equal([second.Id, first.Id], liveDuringOverlap);
        Assert.Null(afterOverlap);
        Assert.Single(ring.Live(Edge));
        Assert.Single(Directory.GetFiles(_folder.Path, "delivery-*.key"));
    }

    [Fact]
    public void KeysSurviveARestart_AndEachLiveKeySaysWhenEdgesMayDropIt()
    {
        var before = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap).Current(Edge);
        _clock.Advance(Rotation + TimeSpan.FromHours(1));

        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);

        Assert.Equal(before.Secret, ring.Find(Edge, before.Id)!.Secret);
        Assert.Equal(ring.Current(Edge).NotAfter, _clock.GetUtcNow() + Rotation + Overlap);
        Assert.Equal(_clock.GetUtcNow() + Overlap, ring.Live(Edge)[1].NotAfter); // replaced just now: live one overlap more
    }

    [Fact]
    public void EachAudience_HasItsOwnKey_ThatOpensNothingElse()
    {
        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);
        var other = DeliveryAudience.Edge("e000000000002");
        var token = DeliveryToken.Issue(ring.Current(Edge), "t1", _clock.GetUtcNow() + Overlap);
        var platformSecret = File.ReadAllBytes(Assert.Single(Directory.GetFiles(_folder.Path, "delivery-*.key")));

        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(Edge, id)));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(other, id)));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(DeliveryAudience.Origin, id)));
        Assert.Equal(ring.Current(Edge).Id, ring.Current(other).Id); // same key id, so tokens look alike ...
        Assert.NotEqual(ring.Current(Edge).Secret, ring.Current(other).Secret); // ... but each is signed with its own secret
        Assert.NotEqual(platformSecret, ring.Current(Edge).Secret); // and the platform key never leaves the control plane
        // every instance derives the same
        Assert.Equal(ring.Current(Edge).Secret, new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap).Current(Edge).Secret);
    }

    [Fact]
    public void KeysEarlierVersionsHandedToEdges_AreDeletedAtStart_AndNothingIsDerivedFromThem()
    {
        var handedOut = RandomNumberGenerator.GetBytes(32);
        var legacy = Path.Combine(_folder.Path, $"delivery-k{_clock.GetUtcNow().ToUnixTimeSeconds()}.key");
        File.WriteAllBytes(legacy, handedOut);

        var ring = new DeliveryKeyRing(_folder.Path, _clock, Rotation, Overlap);

        var current = ring.Current(Edge);
        var fromLegacy = HKDF.DeriveKey(HashAlgorithmName.SHA256, handedOut, 32, [], Encoding.UTF8.GetBytes($"opencdn-delivery|{Edge}|{current.Id}"));
        Assert.False(File.Exists(legacy));
        Assert.NotEqual(fromLegacy, current.Secret);
    }

    public void Dispose() => _folder.Dispose();
}
