using OpenCdn.Catalog;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;

namespace OpenCdn.ControlPlane.Tests.Catalog;

/// <summary>The catalog's rules, run unchanged on SQLite (embedded) and PostgreSQL (cloud).</summary>
public abstract class TitleStoreContract
{
    protected abstract Task<CatalogDatabase> DatabaseAsync();

    private async Task<(TitleStore Titles, UploadStore Uploads)> StoresAsync()
    {
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        return (new TitleStore(database, TimeProvider.System), new UploadStore(database, TimeProvider.System));
    }

    [Fact]
    public async Task Title_FollowsItsLifeCycleToReady()
    {
        var (titles, _) = await StoresAsync();
        var title = await titles.CreateAsync("Life cycle", default);

        Assert.True(await titles.MarkUploadingAsync(title.Id, default));
        Assert.True(await titles.MarkQueuedAsync(title.Id, "masters/x/m.mp4", 1234, default));
        Assert.True(await titles.MarkTranscodingAsync(title.Id, default));
        Assert.True(await titles.ReportProgressAsync(title.Id, 42, default));
        Assert.Equal(42, (await titles.GetAsync(title.Id, default))!.Progress);
        Assert.True(await titles.MarkReadyAsync(title.Id, 1, default));

        var ready = await titles.GetAsync(title.Id, default);
        Assert.Equal(TitleStatus.Ready, ready!.Status);
        Assert.Equal(100, ready.Progress);
        Assert.Equal(1, ready.PackageVersion);
        Assert.Equal(1234, ready.MasterSize);
    }

    [Fact]
    public async Task Transitions_TheLifeCycleDoesNotHave_AreRefused()
    {
        var (titles, _) = await StoresAsync();
        var title = await titles.CreateAsync("Strict", default);

        Assert.False(await titles.MarkReadyAsync(title.Id, 1, default));
        Assert.False(await titles.MarkTranscodingAsync(title.Id, default));
        Assert.False(await titles.ReportProgressAsync(title.Id, 50, default));
        Assert.Equal(TitleStatus.Created, (await titles.GetAsync(title.Id, default))!.Status);
    }

    [Fact]
    public async Task FailedTitle_KeepsItsReason_AndCanBeUploadedAgain()
    {
        var (titles, _) = await StoresAsync();
        var title = await titles.CreateAsync("Broken", default);
        await titles.MarkUploadingAsync(title.Id, default);
        await titles.MarkQueuedAsync(title.Id, "masters/x/m", 1, default);

        Assert.True(await titles.MarkFailedAsync(title.Id, "The master has no video stream.", default));
        Assert.Equal("The master has no video stream.", (await titles.GetAsync(title.Id, default))!.FailureReason);
        Assert.True(await titles.MarkUploadingAsync(title.Id, default));
        Assert.Null((await titles.GetAsync(title.Id, default))!.FailureReason);
    }

    [Fact]
    public async Task RetiredTitle_IsNoLongerListedOrFound()
    {
        var (titles, _) = await StoresAsync();
        var keep = await titles.CreateAsync("Keep", default);
        var retire = await titles.CreateAsync("Retire", default);

        Assert.True(await titles.RetireAsync(retire.Id, default));

        Assert.Null(await titles.GetAsync(retire.Id, default));
        var listed = (await titles.ListAsync(default)).Select(t => t.Id).ToList();
        Assert.Contains(keep.Id, listed);
        Assert.DoesNotContain(retire.Id, listed);
        Assert.False(await titles.RetireAsync(retire.Id, default));
    }

    [Fact]
    public async Task Upload_IsFoundUntilItExpires()
    {
        var (titles, uploads) = await StoresAsync();
        var title = await titles.CreateAsync("Uploads", default);
        var stale = (await uploads.TryCreateAsync(title.Id, 100, "m.mp4", TimeSpan.FromMilliseconds(-1), default))!;
        var live = (await uploads.TryCreateAsync(title.Id, 100, "m.mp4", TimeSpan.FromHours(1), default))!;

        Assert.Equal(100, (await uploads.GetAsync(live.Id, default))!.Length);
        Assert.Null(await uploads.GetAsync(stale.Id, default));
        Assert.Contains(stale.Id, (await uploads.ListExpiredAsync(default)).Select(u => u.Id));
        Assert.DoesNotContain(live.Id, (await uploads.ListExpiredAsync(default)).Select(u => u.Id));
    }

    [Fact]
    public async Task Upload_OnlyOneOpenPerTitle()
    {
        var (titles, uploads) = await StoresAsync();
        var title = await titles.CreateAsync("One at a time", default);
        var first = await uploads.TryCreateAsync(title.Id, 100, "m.mp4", TimeSpan.FromHours(1), default);

        Assert.NotNull(first);
        Assert.Null(await uploads.TryCreateAsync(title.Id, 100, "m.mp4", TimeSpan.FromHours(1), default));
        Assert.True(await uploads.HasOpenAsync(title.Id, default));
        await uploads.DeleteAsync(first.Id, default);
        Assert.False(await uploads.HasOpenAsync(title.Id, default));
        Assert.NotNull(await uploads.TryCreateAsync(title.Id, 100, "m.mp4", TimeSpan.FromHours(1), default));
    }

    [Fact]
    public async Task Migration_RunsAgainWithoutHarm()
    {
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        var titles = new TitleStore(database, TimeProvider.System);
        var uploads = new UploadStore(database, TimeProvider.System);
        var title = await titles.CreateAsync("Kept", default);
        await titles.MarkUploadingAsync(title.Id, default);
        await titles.MarkQueuedAsync(title.Id, "masters/x/m.mp4", 1234, default);
        var upload = (await uploads.TryCreateAsync(title.Id, 1234, "m.mp4", TimeSpan.FromHours(1), default))!;
        var before = await titles.GetAsync(title.Id, default);
        var uploadBefore = await uploads.GetAsync(upload.Id, default);

        await database.MigrateAsync(default);

        Assert.Equal(before, await titles.GetAsync(title.Id, default));
        Assert.Equal(uploadBefore, await uploads.GetAsync(upload.Id, default));
        Assert.Equal(TitleStatus.Queued, before!.Status);
        Assert.Equal(upload.Id, uploadBefore!.Id);
    }

    [Fact]
    public async Task MultipartUpload_CommitsOnlyFromTheOffsetItRead_AndNeverHandsOutAPartNumberTwice()
    {
        const int Part = 8 << 20;
        var database = await DatabaseAsync();
        await database.MigrateAsync(default);
        var uploads = new UploadStore(database, TimeProvider.System);
        var multiparts = new MultipartUploadStore(database, TimeProvider.System);
        var upload = (await uploads.TryCreateAsync("t1", 20 << 20, "m.bin", TimeSpan.FromHours(1), default))!;

        Assert.True(await multiparts.TryCreateAsync(upload.Id, "masters/t1/m.bin", "mp-1", Part, default));
        Assert.False(await multiparts.TryCreateAsync(upload.Id, "masters/t1/m.bin", "mp-2", Part, default)); // the first one stays
        var numbers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => multiparts.NextPartNumberAsync(upload.Id, default)));
        Assert.Equal(Enumerable.Range(1, 10), numbers.Select(n => n!.Value).Order());
        var first = new MultipartStep(0, Part, new MultipartPart(3, "\"e3\"", Part), null, 0);
        Assert.True(await multiparts.TryCommitAsync(upload.Id, first, TimeSpan.FromHours(1), default));
        Assert.False(await multiparts.TryCommitAsync(
            upload.Id, first with { Part = new MultipartPart(4, "\"e4\"", Part) }, TimeSpan.FromHours(1), default)); // read offset 0: stale
        Assert.True(await multiparts.TryCommitAsync(
            upload.Id, new MultipartStep(Part, Part + 100, null, "uploads/x/tail-1", 100), TimeSpan.FromHours(1), default));

        var state = (await multiparts.GetAsync(upload.Id, default))!;
        Assert.Equal(("mp-1", Part + 100L, "uploads/x/tail-1", 100, 10), (state.MultipartId, state.Offset, state.TailKey, state.TailLength,
            state.PartNumbersUsed));
        Assert.Equal([new MultipartPart(3, "\"e3\"", Part)], await multiparts.ListPartsAsync(upload.Id, default));
        Assert.Empty(await multiparts.ListOrphansAsync(default));
        await uploads.DeleteAsync(upload.Id, default);
        Assert.Equal(upload.Id, Assert.Single(await multiparts.ListOrphansAsync(default)).UploadId);
        await multiparts.DeleteAsync(upload.Id, default);
        Assert.Null(await multiparts.GetAsync(upload.Id, default));
        Assert.Null(await multiparts.NextPartNumberAsync(upload.Id, default));
        Assert.Empty(await multiparts.ListPartsAsync(upload.Id, default));
    }
}
