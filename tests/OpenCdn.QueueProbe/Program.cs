using OpenCdn.Platform.Queue;

// Usage: QueueProbe QUEUE_FILE BODY VISIBILITY_SECONDS
// Sends BODY, receives one message with the given visibility, prints what it did, then waits to be killed.
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("usage: QueueProbe QUEUE_FILE BODY VISIBILITY_SECONDS");
    return 2;
}
var queue = new LocalJobQueue(args[0], maxReceives: 5, TimeProvider.System);
var id = await queue.SendAsync(args[1], CancellationToken.None);
Console.WriteLine($"sent {id}");
var message = await queue.ReceiveAsync(
    TimeSpan.FromSeconds(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(5), CancellationToken.None);
Console.WriteLine($"received {message?.Id}");
await Task.Delay(Timeout.Infinite);
return 0;
