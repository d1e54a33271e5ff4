using OpenCdn.Platform.Queue;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// A job whose worker is killed (SIGKILL, FFmpeg with it) during every attempt runs out of attempts and lands in the
/// dead-letter queue; a fresh worker reads it there and fails the title with the reason, instead of leaving it
/// <c>transcoding</c> forever. On the embedded queue here, on SQS in <see cref="DeadLetterOnSqsTests"/>.
/// </summary>
public sealed class DeadLetterTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>, IDisposable
{
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task WorkerKilledDuringEveryAttempt_OnTheLocalQueue_FailsTheTitleWithTheReason()
    {
        using var admin = await platform.AdminAsync();
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("doomed.mp4"), 1280, 720, "25", 20, audioChannels: 2);

        var title = await WorkerKills.KillEveryAttemptAsync(platform, admin, master, attempts: 3);

        Assert.Equal("failed", title.Status());
        Assert.Contains("stopped during every attempt", title.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        var queue = new LocalJobQueue(platform.Data.Combine("queue.db"), 3, TimeProvider.System);
        await Eventually.TrueAsync(async () => await queue.CountDeadLettersAsync(default) == 0, "the dead letter is deleted");
    }

    public void Dispose() => _masters.Dispose();
}
