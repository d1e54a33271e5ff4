using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

internal static class WorkerKills
{
    /// <summary>
    /// Uploads <paramref name="master"/>; kills the worker as soon as each of <paramref name="attempts"/> attempts starts
    /// encoding, starting a fresh worker each time; returns the title once it is ready or failed.
    /// </summary>
    public static async Task<JsonElement> KillEveryAttemptAsync(PlatformProcesses platform, HttpClient admin, string master, int attempts)
    {
        var id = await admin.UploadAsync("Killed every time", master);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await platform.Worker!.WaitForLineAsync(
                line => line.Contains($"Title {id}: encoding", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
            Assert.Equal("transcoding", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}")).Status());
            await platform.Worker.DisposeAsync(); // SIGKILL to the worker and its FFmpeg
            await platform.StartWorkerAsync();
        }
        // Old behaviour: nothing reads the dead-letter queue, and the title stays "transcoding" past this wait.
        return await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(1));
    }
}
