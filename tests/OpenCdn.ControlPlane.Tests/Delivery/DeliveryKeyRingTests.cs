using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Delivery;

/// <summary>Delivery keys rotate on schedule, and a replaced key keeps working for as long as a token signed with it can live.</summary>
public sealed class DeliveryKeyRingTests : IAsyncLifetime
{
    private static readonly TimeSpan Rotation = TimeSpan.FromDays(7);
    private static readonly TimeSpan Overlap = TimeSpan.FromHours(8);
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(2);
    private static readonly string Edge = DeliveryAudience.Edge("e000000000001");
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private CatalogDatabase _database = null!;
    private SecretStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = CatalogDatabase.Create($"Data Source={_folder.Combine("catalog.db")}");
        await _database.MigrateAsync(default);
        _store = new SecretStore(_database, new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32), "a test key"));
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task AfterARotation_OldTokensStillCheck_UntilTheOverlapEnds()
    {
        using var ring = await RingAsync();
        var first = ring.Current(Edge);
        _clock.Advance(Rotation - TimeSpan.FromHours(1));
        var token = DeliveryToken.Issue(ring.Current(Edge), "t1", _clock.GetUtcNow() + Overlap); // a session started just before the rotation

        _clock.Advance(TimeSpan.FromHours(2));
        await ring.RefreshAsync(default);
        var second = ring.Current(Edge);
        var duringOverlap = DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(Edge, id));
        var liveDuringOverlap = ring.Live(Edge).Select(k => k.Id).ToList();
        _clock.Advance(Overlap + TimeSpan.FromSeconds(1));
        var afterOverlap = ring.Find(Edge, first.Id);
        await ring.RefreshAsync(default);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(TokenCheck.Valid, duringOverlap);
        Assert.Equal([second.Id, first.Id], liveDuringOverlap);
        Assert.Null(afterOverlap);
        Assert.Single(ring.Live(Edge));
        Assert.Single(await _store.ListAsync(DeliveryKeyRing.SecretName, default)); // the expired version is deleted
    }

    [Fact]
    public async Task TheNextKey_IsInsertedAhead_AndBecomesCurrentByTheClock_WithNoRefresh()
    {
        using var ring = await RingAsync();
        var first = ring.Current(Edge);
        _clock.Advance(Rotation - Lead);
        await ring.RefreshAsync(default); // the check before the rotation

        var beforeRotation = ring.Current(Edge).Id;
        var liveBefore = ring.Live(Edge).Count;
        _clock.Advance(Lead);
        var atRotation = ring.Current(Edge);

        Assert.Equal(first.Id, beforeRotation); // inserted, but not handed to anyone before its time
        Assert.Equal(1, liveBefore);
        Assert.Equal($"k{_clock.GetUtcNow().ToUnixTimeSeconds()}", atRotation.Id);
        Assert.Equal(2, (await _store.ListAsync(DeliveryKeyRing.SecretName, default)).Count);
        Assert.Equal(_clock.GetUtcNow() + Overlap, ring.Find(Edge, first.Id)!.NotAfter);
    }

    [Fact]
    public async Task KeysSurviveARestart_AndEachLiveKeySaysWhenEdgesMayDropIt()
    {
        SigningKey before;
        using (var old = await RingAsync())
        {
            before = old.Current(Edge);
        }
        _clock.Advance(Rotation + TimeSpan.FromHours(1));

        using var ring = await RingAsync();

        Assert.Equal(before.Secret, ring.Find(Edge, before.Id)!.Secret);
        Assert.Equal(ring.Current(Edge).NotAfter, _clock.GetUtcNow() + Rotation + Overlap);
        Assert.Equal(_clock.GetUtcNow() + Overlap, ring.Live(Edge)[1].NotAfter); // replaced just now: live one overlap more
    }

    [Fact]
    public async Task EachAudience_HasItsOwnKey_ThatOpensNothingElse()
    {
        using var ring = await RingAsync();
        var other = DeliveryAudience.Edge("e000000000002");
        var token = DeliveryToken.Issue(ring.Current(Edge), "t1", _clock.GetUtcNow() + Overlap);
        var platformSecret = Assert.Single(await _store.ListAsync(DeliveryKeyRing.SecretName, default)).Value;
        using var another = await RingAsync();

        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(Edge, id)));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(other, id)));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "t1", _clock.GetUtcNow(), id => ring.Find(DeliveryAudience.Origin, id)));
        Assert.Equal(ring.Current(Edge).Id, ring.Current(other).Id); // same key id, so tokens look alike ...
        Assert.NotEqual(ring.Current(Edge).Secret, ring.Current(other).Secret); // ... but each is signed with its own secret
        Assert.NotEqual(platformSecret, ring.Current(Edge).Secret); // and the platform key never leaves the control plane
        Assert.Equal(ring.Current(Edge).Secret, another.Current(Edge).Secret); // every instance derives the same
    }

    private async Task<DeliveryKeyRing> RingAsync()
    {
        var ring = new DeliveryKeyRing(_store, _clock, Rotation, Overlap, Lead);
        await ring.RefreshAsync(default);
        return ring;
    }
}
