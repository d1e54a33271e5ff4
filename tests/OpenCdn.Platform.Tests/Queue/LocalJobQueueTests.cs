using Microsoft.Extensions.Time.Testing;
using OpenCdn.Platform.Queue;
using OpenCdn.Testing;

namespace OpenCdn.Platform.Tests.Queue;

public sealed class LocalJobQueueTests : JobQueueContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The contract's queues run on a fake clock: visibility timeouts and receive waits take no real time.</summary>
    protected override Task<IJobQueue> CreateQueueAsync() =>
        Task.FromResult<IJobQueue>(new LocalJobQueue(_folder.Combine($"{Guid.NewGuid():N}.db"), MaxReceives, _clock));

    protected override Task PassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    protected override Task<QueueMessage?> ReceiveAsync(IJobQueue queue, TimeSpan visibilityTimeout, TimeSpan wait) =>
        WhileTimePassesAsync(queue.ReceiveAsync(visibilityTimeout, wait, default));

    protected override Task<QueueMessage?> ReceiveDeadLetterAsync(IJobQueue queue, TimeSpan visibilityTimeout, TimeSpan wait) =>
        WhileTimePassesAsync(queue.ReceiveDeadLetterAsync(visibilityTimeout, wait, default));

    private async Task<QueueMessage?> WhileTimePassesAsync(Task<QueueMessage?> receive)
    {
        while (!receive.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100)); // the queue polls on its clock while it waits (every 100 ms, dead letters every 1 s)
            await Task.Delay(1);
        }
        return await receive;
    }

    [Fact]
    public async Task Message_HeldByAProcessKilledWithSigkill_IsNotLostAndComesBack()
    {
        var path = _folder.Combine("shared.db");
        await using var probe = ChildProcess.Start("dotnet", [QueueProbePath(), path, "survivor", "3"]);
        var received = await probe.WaitForLineAsync(line => line.StartsWith("received ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        await probe.KillAsync();
        var queue = new LocalJobQueue(path, MaxReceives, TimeProvider.System);
        var whileHidden = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero, default);
        var afterTimeout = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), default);

        Assert.Null(whileHidden);
        Assert.NotNull(afterTimeout);
        Assert.Equal(received["received ".Length..], afterTimeout.Id);
        Assert.Equal("survivor", afterTimeout.Body);
        Assert.Equal(2, afterTimeout.ReceiveCount);
    }

    [Fact]
    public async Task QueueFile_ReopenedByAnotherInstance_KeepsEveryMessage()
    {
        var path = _folder.Combine("reopen.db");
        var writer = new LocalJobQueue(path, MaxReceives, TimeProvider.System);
        for (var i = 0; i < 20; i++)
        {
            await writer.SendAsync($"job {i}", default);
        }

        var reader = new LocalJobQueue(path, MaxReceives, TimeProvider.System);
        var bodies = new List<string>();
        while (await reader.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero, default) is { } message)
        {
            bodies.Add(message.Body);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"job {i}"), bodies);
    }

    [Fact]
    public async Task ConcurrentReceivers_NeverGetTheSameMessage()
    {
        var path = _folder.Combine("race.db");
        var queue = new LocalJobQueue(path, MaxReceives, TimeProvider.System);
        for (var i = 0; i < 50; i++)
        {
            await queue.SendAsync($"job {i}", default);
        }

        var receivers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            var own = new LocalJobQueue(path, MaxReceives, TimeProvider.System);
            while (await own.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero, default) is { } message)
            {
                mine.Add(message.Id);
            }
            return mine;
        }));
        var ids = (await Task.WhenAll(receivers)).SelectMany(x => x).ToList();

        Assert.Equal(50, ids.Count);
        Assert.Equal(50, ids.Distinct().Count());
    }

    [Fact]
    public async Task StaleReceipt_CannotDeleteOrExtendTheNewerReceive()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("job", default);
        var first = await queue.ReceiveAsync(TimeSpan.FromMilliseconds(200), TimeSpan.Zero, default);
        await PassAsync(TimeSpan.FromMilliseconds(300));
        var second = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero, default);

        await queue.DeleteAsync(first!, default);

        await Assert.ThrowsAsync<QueueException>(() => queue.ExtendAsync(first!, TimeSpan.FromSeconds(30), default));
        await queue.ExtendAsync(second!, TimeSpan.FromSeconds(30), default);
        await queue.DeleteAsync(second!, default);
        Assert.Null(await queue.ReceiveAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero, default));
    }

    public void Dispose() => _folder.Dispose();

    private static string QueueProbePath()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
        var path = Path.Combine(RepoPaths.Root, "tests", "OpenCdn.QueueProbe", "bin", configuration, "net10.0", "OpenCdn.QueueProbe.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the queue probe is missing.", path);
    }
}
