using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// One request of an HTTP/2 connection answered by Kestrel's full path: its HTTP/1.0 head goes into a
/// <see cref="FallbackConnection"/>, and the response Kestrel writes is read back, head and body, by the connection's loop
/// (<see cref="Response"/>), which frames it for the stream. Each time Kestrel flushes or finishes, the loop is woken.
/// Kestrel's writes wait while 64 KiB are unread, so a stream whose window is shut holds no more than that.
/// </summary>
internal sealed class Http2Fallback : IDisposable
{
    private readonly Pipe _request = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _response =
        new(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
    private readonly FallbackConnection _connection;
    private readonly Action _wake;
    private int _signal = 1;

    private Http2Fallback(ConnectionContext parent, Action wake)
    {
        _wake = wake;
        _connection = new FallbackConnection(parent, new DuplexPipe(_request.Reader, new WakingWriter(_response.Writer, this)));
    }

    public PipeReader Response => _response.Reader;

    /// <summary>
    /// Hands <paramref name="head"/> to Kestrel (<paramref name="next"/>) on the thread pool; <paramref name="wake"/> is
    /// called on every flush, <paramref name="done"/> when Kestrel is done with it.
    /// </summary>
    public static Http2Fallback Start(ConnectionContext parent, ReadOnlySpan<byte> head, ConnectionDelegate next, Action wake, Action done)
    {
        var fallback = new Http2Fallback(parent, wake);
        var bytes = head.ToArray();
        _ = Task.Run(() => fallback.RunAsync(bytes, next, done));
        return fallback;
    }

    /// <summary>True once after each time Kestrel wrote or finished: the loop should look at <see cref="Response"/>.</summary>
    public bool TakeSignal() => Interlocked.Exchange(ref _signal, 0) == 1;

    /// <summary>The stream ended (whole, reset, or with the connection): Kestrel stops, and any write left fails.</summary>
    public void Dispose()
    {
        _connection.Abort();
        _response.Reader.Complete();
    }

    private async Task RunAsync(byte[] head, ConnectionDelegate next, Action done)
    {
        try
        {
            await _request.Writer.WriteAsync(head);
            await next(_connection);
        }
        finally
        {
            // The request's side stays open until Kestrel is done: a client's end of input is not an abort to it.
            await _request.Writer.CompleteAsync();
            await _response.Writer.CompleteAsync();
            Signal();
            await _connection.DisposeAsync();
            done();
        }
    }

    private void Signal()
    {
        Volatile.Write(ref _signal, 1);
        _wake();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Kestrel's output: the pipe's writer, waking the loop as soon as a flush makes bytes readable (before it waits).</summary>
    private sealed class WakingWriter(PipeWriter inner, Http2Fallback owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var flush = inner.FlushAsync(cancellationToken);
            owner.Signal();
            return flush;
        }

        public override void Complete(Exception? exception = null)
        {
            inner.Complete(exception);
            owner.Signal();
        }
    }
}
