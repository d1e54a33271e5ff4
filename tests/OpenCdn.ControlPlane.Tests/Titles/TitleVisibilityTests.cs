using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCdn.Catalog.Titles;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Titles;

/// <summary>Viewers see what they can play; admins see every title, with why it failed.</summary>
public sealed class TitleVisibilityTests : IDisposable
{
    private readonly ControlPlaneApp _app = new();

    [Fact]
    public async Task Viewer_ListsOnlyReadyTitles_AndGets404ForOthers()
    {
        var (ready, failed, created) = await TitlesAsync();
        using var viewer = await _app.ViewerAsync();

        var listed = (await viewer.GetFromJsonAsync<JsonElement[]>("/api/v1/titles"))!.Select(t => t.GetProperty("id").GetString()).ToList();
        using var getFailed = await viewer.GetAsync($"/api/v1/titles/{failed}");
        using var getCreated = await viewer.GetAsync($"/api/v1/titles/{created}");
        using var getReady = await viewer.GetAsync($"/api/v1/titles/{ready}");

        Assert.Equal([ready], listed);
        Assert.Equal(HttpStatusCode.NotFound, getFailed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, getCreated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, getReady.StatusCode);
    }

    [Fact]
    public async Task Admin_SeesEveryTitleAndTheFailureReason()
    {
        var (ready, failed, created) = await TitlesAsync();
        using var admin = await _app.AdminAsync();

        var listed = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/titles"))!.Select(t => t.GetProperty("id").GetString()).ToList();
        var title = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{failed}");

        Assert.Equal(new[] { created, failed, ready }.Order(), listed.Order());
        Assert.Equal("failed", title.Status());
        Assert.Equal("The master has no video stream.", title.GetProperty("failureReason").GetString());
    }

    public void Dispose() => _app.Dispose();

    private async Task<(string Ready, string Failed, string Created)> TitlesAsync()
    {
        var store = _app.Services.GetRequiredService<TitleStore>();
        var ready = await store.CreateAsync("Ready", default);
        var failed = await store.CreateAsync("Failed", default);
        var created = await store.CreateAsync("Created", default);
        foreach (var id in new[] { ready.Id, failed.Id })
        {
            Assert.True(await store.MarkUploadingAsync(id, default));
            Assert.True(await store.MarkQueuedAsync(id, $"masters/{id}/m.mp4", 10, default));
            Assert.True(await store.MarkTranscodingAsync(id, default));
        }
        Assert.True(await store.MarkReadyAsync(ready.Id, 1, default));
        Assert.True(await store.MarkFailedAsync(failed.Id, "The master has no video stream.", default));
        return (ready.Id, failed.Id, created.Id);
    }
}
