using Microsoft.Extensions.Time.Testing;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Chunks;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>
/// The state of chunked encodes, run unchanged on SQLite (embedded) and PostgreSQL (cloud): what lets several ingest
/// workers share one title's parts and have exactly one of them assemble the package.
/// </summary>
public abstract class ChunkStoreContract
{
    private const string Title = "t1";
    private const int Version = 2;
    private static readonly string[] Parts = ["chunk-000", "chunk-001", "chunk-002", "tracks"];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract Task<CatalogDatabase> DatabaseAsync();

    private async Task<ChunkStore> StoreAsync()
    {
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        return new ChunkStore(database, _clock);
    }

    [Fact]
    public async Task Plan_ReturnsEveryPart_ARetriedPlannerGetsThoseNotDone_AndNoneOnceTheyWereQueued()
    {
        var chunks = await StoreAsync();

        Assert.Equal(Parts, await chunks.PlanAsync(Title, Version, "masters/a", Parts, default));
        await chunks.CompleteAsync(Title, Version, "chunk-001", default);
        // The planner died before it queued: its retry queues what is not done.
        Assert.Equal(["chunk-000", "chunk-002", "tracks"], await chunks.PlanAsync(Title, Version, "masters/a", Parts, default));
        await chunks.MarkQueuedAsync(Title, Version, default);
        Assert.Empty(await chunks.PlanAsync(Title, Version, "masters/a", Parts, default));
        Assert.Equal(PartState.Done, await chunks.StateOfAsync(Title, Version, "masters/a", "chunk-001", default));
    }

    [Fact]
    public async Task Plan_ForAnotherMaster_OrAnotherPartCount_DropsTheOldSet_AndItsMessagesBecomeStale()
    {
        var chunks = await StoreAsync();
        await chunks.PlanAsync(Title, Version, "masters/a", Parts, default);
        await chunks.CompleteAsync(Title, Version, "chunk-000", default);
        await chunks.MarkQueuedAsync(Title, Version, default);

        Assert.Equal(Parts, await chunks.PlanAsync(Title, Version, "masters/b", Parts, default));
        Assert.Equal(PartState.Unknown, await chunks.StateOfAsync(Title, Version, "masters/a", "chunk-001", default));
        Assert.Equal(PartState.Pending, await chunks.StateOfAsync(Title, Version, "masters/b", "chunk-000", default));

        string[] fewer = ["chunk-000", "tracks"];
        Assert.Equal(fewer, await chunks.PlanAsync(Title, Version, "masters/b", fewer, default));
        Assert.Equal(PartState.Unknown, await chunks.StateOfAsync(Title, Version, "masters/b", "chunk-002", default));
        Assert.Equal((0, 2), await chunks.CompleteAsync(Title, Version, "chunk-002", default)); // a stale part counts nothing
    }

    [Fact]
    public async Task Complete_CountsTheSetsDoneParts_AndIsIdempotent()
    {
        var chunks = await StoreAsync();
        await chunks.PlanAsync(Title, Version, "masters/a", Parts, default);
        await chunks.PlanAsync("t2", Version, "masters/c", Parts, default); // another title's set is its own

        Assert.Equal(PartState.Pending, await chunks.StateOfAsync(Title, Version, "masters/a", "tracks", default));
        Assert.Equal((1, 4), await chunks.CompleteAsync(Title, Version, "tracks", default));
        Assert.Equal((1, 4), await chunks.CompleteAsync(Title, Version, "tracks", default)); // a redelivered job
        Assert.Equal((2, 4), await chunks.CompleteAsync(Title, Version, "chunk-000", default));
        Assert.Equal(PartState.Done, await chunks.StateOfAsync(Title, Version, "masters/a", "tracks", default));
        Assert.Equal(PartState.Pending, await chunks.StateOfAsync("t2", Version, "masters/c", "tracks", default));
    }

    [Fact]
    public async Task Assembly_IsClaimedOnlyWhenEveryPartIsDone_ByExactlyOneOfPartsRacingForIt_AndAgainByTheSamePart()
    {
        var chunks = await StoreAsync();
        await chunks.PlanAsync(Title, Version, "masters/a", Parts, default);
        foreach (var part in Parts[..^1])
        {
            await chunks.CompleteAsync(Title, Version, part, default);
        }
        Assert.False(await chunks.TryClaimAssemblyAsync(Title, Version, "chunk-000", default));
        await chunks.CompleteAsync(Title, Version, "tracks", default);

        // Every part's worker saw the last count and races for the assembly, each on its own connection.
        var claims = await Task.WhenAll(Parts.Select(part => Task.Run(() => chunks.TryClaimAssemblyAsync(Title, Version, part, default))));

        var winner = Assert.Single(Parts.Where((_, i) => claims[i]));
        Assert.True(await chunks.TryClaimAssemblyAsync(Title, Version, winner, default)); // its job came back: it assembles again
        foreach (var other in Parts.Where(p => p != winner))
        {
            Assert.False(await chunks.TryClaimAssemblyAsync(Title, Version, other, default));
        }
    }

    [Fact]
    public async Task Forget_DropsTheSet_SoTheVersionCanBePlannedAfresh()
    {
        var chunks = await StoreAsync();
        await chunks.PlanAsync(Title, Version, "masters/a", Parts, default);
        await chunks.MarkQueuedAsync(Title, Version, default);
        await chunks.CompleteAsync(Title, Version, "chunk-000", default);

        await chunks.ForgetAsync(Title, Version, default);

        Assert.Equal(PartState.Unknown, await chunks.StateOfAsync(Title, Version, "masters/a", "chunk-000", default));
        Assert.Equal(Parts, await chunks.PlanAsync(Title, Version, "masters/a", Parts, default));
    }
}
