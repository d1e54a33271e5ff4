using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Edge.Serving.SendFile;

/// <summary>
/// The output Kestrel writes a plaintext connection's responses into, with one addition: <see cref="Insert"/> marks the
/// next <c>count</c> body bytes as a file range. Kestrel still counts those bytes (its Content-Length check holds), but
/// they never enter the pipe: the <see cref="SendFilePump"/> sends the file range with <c>sendfile(2)</c> at that point
/// of the stream instead. Kestrel's output producer calls this writer under its own lock, one call at a time.
/// </summary>
internal sealed class SendFileOutput(PipeWriter pipe, PipeReader pumpSide) : PipeWriter
{
    // Body bytes standing in for a file range; never read or written. Large, so a 1.5 MiB range is two Advance calls
    // through Kestrel's locked output, not 24.
    private static readonly byte[] Discard = new byte[1024 * 1024];
    private readonly ConcurrentQueue<FileSpan> _spans = new();
    private long _written;
    private long _skipping;
    private FileSpan? _last;

    public ConcurrentQueue<FileSpan> Spans => _spans;

    public override bool CanGetUnflushedBytes => pipe.CanGetUnflushedBytes;

    public override long UnflushedBytes => pipe.UnflushedBytes;

    /// <summary>
    /// Call after the response headers were written (<c>StartAsync</c>) and before advancing the body writer by exactly
    /// <paramref name="count"/> bytes; the next flush completes when the kernel took the range.
    /// </summary>
    public FileSpan Insert(SafeFileHandle file, long offset, long count)
    {
        if (_skipping != 0)
        {
            throw new InvalidOperationException("A file range is already being inserted.");
        }
        var span = new FileSpan(_written, file, offset, count);
        _skipping = count;
        _last = span;
        _spans.Enqueue(span);
        return span;
    }

    public override void Advance(int bytes)
    {
        if (_skipping == 0)
        {
            pipe.Advance(bytes);
            _written += bytes;
            return;
        }
        if (bytes > _skipping)
        {
            throw new InvalidOperationException("More body bytes were written than the inserted file range holds.");
        }
        _skipping -= bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) =>
        _skipping == 0 ? pipe.GetMemory(sizeHint) : (sizeHint <= Discard.Length ? Discard : new byte[sizeHint]);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var last = _last;
        if (last is null || last.Sent.Task.IsCompleted)
        {
            return await pipe.FlushAsync(cancellationToken);
        }
        // The range may sit exactly at the end of what was flushed already: wake the pump even without new bytes.
        pumpSide.CancelPendingRead();
        var result = await pipe.FlushAsync(cancellationToken);
        try
        {
            await last.Sent.Task.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The pump failed (client gone, connection aborted, file closed) and has aborted the connection: report the
            // output as completed, as a pipe does once its reader is gone, rather than an error for Kestrel to log.
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        return result;
    }

    public override void CancelPendingFlush() => pipe.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => pipe.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => pipe.CompleteAsync(exception);
}
