using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace OpenCdn.Edge.Serving.SendFile;

/// <summary>
/// Writes a plaintext connection's output to its socket in stream order: the bytes Kestrel wrote, and at each inserted
/// <see cref="FileSpan"/> the file range through <c>sendfile(2)</c>. It replaces the socket transport's own sender for
/// this connection; when it ends it completes the transport's output so the transport closes the socket as usual.
/// </summary>
internal sealed class SendFilePump(PipeReader reader, SendFileOutput output, Socket socket, PipeWriter transportOutput)
{
    private long _sent;

    public async Task RunAsync(Action abort)
    {
        using var files = new SocketFileSender(socket);
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (output.Spans.TryPeek(out var span) && span.Position <= _sent + buffer.Length)
                {
                    var before = buffer.Slice(0, span.Position - _sent);
                    await SendAsync(before, files); // headers and file leave in full segments, as with nginx's tcp_nopush
                    buffer = buffer.Slice(before.End);
                    await files.SendAsync(span.File, span.Offset, span.Count);
                    output.Spans.TryDequeue(out _); // only once sent: a range that failed is still queued, and failed below
                    span.Sent.TrySetResult();
                }
                await SendAsync(buffer);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = e; // the client went away, the connection was aborted, or the file was closed (evicted) mid-send
            abort();
        }
        finally
        {
            while (output.Spans.TryDequeue(out var pending))
            {
                pending.Sent.TrySetException(failure ?? new IOException("The connection ended before the file range was sent."));
            }
            await reader.CompleteAsync(failure);
            await transportOutput.CompleteAsync(failure);
        }
    }

    /// <summary>Sends the bytes in order; with <paramref name="fileNext"/>, what fits now goes flagged for the file range after it.</summary>
    private async ValueTask SendAsync(ReadOnlySequence<byte> bytes, SocketFileSender? fileNext = null)
    {
        foreach (var segment in bytes)
        {
            var rest = fileNext is null ? segment : segment[fileNext.SendNowWithMore(segment.Span)..];
            while (!rest.IsEmpty)
            {
                rest = rest[await socket.SendAsync(rest, SocketFlags.None)..];
            }
        }
        _sent += bytes.Length;
    }
}
