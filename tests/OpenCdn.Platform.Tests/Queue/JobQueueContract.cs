using OpenCdn.Platform.Queue;

namespace OpenCdn.Platform.Tests.Queue;

/// <summary>What every job queue must do, run unchanged against each implementation (each test gets a fresh queue).</summary>
public abstract class JobQueueContract
{
    protected const int MaxReceives = 2;
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(1);

    /// <summary>A new, empty queue (with its dead-letter queue) that dead-letters after <see cref="MaxReceives"/> receives.</summary>
    protected abstract Task<IJobQueue> CreateQueueAsync();

    /// <summary>The time on the queue's clock: the wall clock for a queue on a server, a fake clock where the queue takes one.</summary>
    protected virtual DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>Lets <paramref name="time"/> pass on the queue's clock (visibility timeouts run out).</summary>
    protected virtual Task PassAsync(TimeSpan time) => Task.Delay(time);

    /// <summary>A receive; on a fake clock, the clock moves while the receive waits for a message.</summary>
    protected virtual Task<QueueMessage?> ReceiveAsync(IJobQueue queue, TimeSpan visibilityTimeout, TimeSpan wait) =>
        queue.ReceiveAsync(visibilityTimeout, wait, default);

    /// <summary>A receive from the dead-letter queue; on a fake clock, the clock moves while it waits.</summary>
    protected virtual Task<QueueMessage?> ReceiveDeadLetterAsync(IJobQueue queue, TimeSpan visibilityTimeout, TimeSpan wait) =>
        queue.ReceiveDeadLetterAsync(visibilityTimeout, wait, default);

    [Fact]
    public async Task Send_ThenReceive_DeliversTheBodyOnce()
    {
        var queue = await CreateQueueAsync();
        var id = await queue.SendAsync("{\"titleId\":\"t1\"}", default);

        var message = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait);
        var second = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), NoWait);

        Assert.NotNull(message);
        Assert.Equal(id, message.Id);
        Assert.Equal("{\"titleId\":\"t1\"}", message.Body);
        Assert.Equal(1, message.ReceiveCount);
        Assert.Null(second);
    }

    [Fact]
    public async Task Receive_EmptyQueue_ReturnsNullAfterWaiting()
    {
        var queue = await CreateQueueAsync();
        var started = Now;

        var message = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait);

        Assert.Null(message);
        Assert.True(Now - started >= TimeSpan.FromMilliseconds(900), "the receive should wait for a message");
    }

    [Fact]
    public async Task Receive_DeliversInSendOrder()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("first", default);
        await queue.SendAsync("second", default);

        var a = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait);
        var b = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait);

        Assert.Equal(["first", "second"], new[] { a!.Body, b!.Body }.Order());
    }

    [Fact]
    public async Task Unacknowledged_ComesBackAfterItsVisibilityTimeout()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("job", default);

        var first = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait);
        var hidden = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), NoWait);
        await PassAsync(TimeSpan.FromSeconds(1.5));
        var again = await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait);

        Assert.NotNull(first);
        Assert.Null(hidden);
        Assert.Equal(first.Id, again?.Id);
        Assert.Equal(2, again!.ReceiveCount);
    }

    [Fact]
    public async Task Deleted_NeverComesBack()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("job", default);
        var message = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait);

        await queue.DeleteAsync(message!, default);
        await PassAsync(TimeSpan.FromSeconds(1.5));

        Assert.Null(await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait));
        Assert.Equal(0, await queue.CountDeadLettersAsync(default));
    }

    [Fact]
    public async Task Extend_KeepsALongJobHidden()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("long job", default);
        var message = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait);

        await queue.ExtendAsync(message!, TimeSpan.FromSeconds(5), default);
        await PassAsync(TimeSpan.FromSeconds(2));

        Assert.Null(await ReceiveAsync(queue, TimeSpan.FromSeconds(30), NoWait));
    }

    [Fact]
    public async Task Message_ReceivedMaxReceivesTimes_MovesToDeadLetterQueue()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("poison", default);

        for (var i = 1; i <= MaxReceives; i++)
        {
            var message = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
            Assert.Equal(i, message?.ReceiveCount);
            await PassAsync(TimeSpan.FromSeconds(1.2));
        }

        Assert.Null(await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait));
        Assert.Equal(1, await queue.CountDeadLettersAsync(default));
    }

    [Fact]
    public async Task DeadLetter_IsReceivedFromTheDeadLetterQueueByOneConsumer_AndDeletedForGood()
    {
        var queue = await CreateQueueAsync();
        var id = await queue.SendAsync("poison", default);
        await SpendAsync(queue);

        var letter = await ReceiveDeadLetterAsync(queue, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        var whileHidden = await ReceiveDeadLetterAsync(queue, TimeSpan.FromSeconds(30), NoWait);
        await queue.DeleteDeadLetterAsync(letter!, default);

        Assert.NotNull(letter);
        Assert.Equal(id, letter.Id);
        Assert.Equal("poison", letter.Body);
        Assert.Null(whileHidden);
        Assert.Equal(0, await queue.CountDeadLettersAsync(default));
        Assert.Null(await ReceiveAsync(queue, TimeSpan.FromSeconds(30), NoWait));
    }

    [Fact]
    public async Task DeadLetter_NotDeleted_ComesBackAfterItsVisibilityTimeout()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("poison", default);
        await SpendAsync(queue);

        var first = await ReceiveDeadLetterAsync(queue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await PassAsync(TimeSpan.FromSeconds(1.5));
        var again = await ReceiveDeadLetterAsync(queue, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));

        Assert.NotNull(first);
        Assert.Equal(first.Id, again?.Id);
        Assert.Equal("poison", again!.Body);
    }

    [Fact]
    public async Task ReceiveDeadLetter_LeavesMessagesWithAttemptsLeftInTheQueue()
    {
        var queue = await CreateQueueAsync();
        await queue.SendAsync("first try", default);
        await queue.SendAsync("second try", default);
        var tried = await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait);
        await PassAsync(TimeSpan.FromSeconds(1.2));

        Assert.Null(await ReceiveDeadLetterAsync(queue, TimeSpan.FromSeconds(30), ShortWait));
        var left = new[]
        {
            await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait), await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait),
        };
        Assert.Equal(1, tried?.ReceiveCount);
        Assert.Equal(["first try", "second try"], left.Select(m => m?.Body).Order());
    }

    [Fact]
    public async Task Body_Of256KiB_IsAcceptedAndOneByteMoreIsRejected()
    {
        var queue = await CreateQueueAsync();
        var largest = new string('x', QueueMessage.MaxBodyBytes);

        await queue.SendAsync(largest, default);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(largest + "x", default));

        Assert.Contains("256 KiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(largest, (await ReceiveAsync(queue, TimeSpan.FromSeconds(30), ShortWait))?.Body);
    }

    [Fact]
    public async Task Body_CountsUtf8BytesNotCharacters()
    {
        var queue = await CreateQueueAsync();

        // 100,000 three-byte characters: under 256 Ki characters but over 256 KiB.
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(new string('€', 100_000), default));
    }

    /// <summary>Receives the only message <see cref="MaxReceives"/> times without deleting it: the next receive dead-letters it.</summary>
    private async Task SpendAsync(IJobQueue queue)
    {
        for (var i = 1; i <= MaxReceives; i++)
        {
            Assert.Equal(i, (await ReceiveAsync(queue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)))?.ReceiveCount);
            await PassAsync(TimeSpan.FromSeconds(1.2));
        }
        Assert.Null(await ReceiveAsync(queue, TimeSpan.FromSeconds(1), ShortWait));
    }

    [Fact]
    public async Task EmptyBody_IsRejected()
    {
        var queue = await CreateQueueAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync("", default));
    }
}
