using System.Buffers;
using System.Net;
using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// One PATCH body: <c>length</c> bytes of the file from <c>offset</c>, read straight from disk through a pooled buffer
/// (never the whole chunk in memory), handing each piece's end to <c>sent</c> (the progress bar, the rate limit) as it goes.
/// </summary>
internal sealed class ChunkContent(SafeFileHandle file, long offset, long size, Func<long, CancellationToken, ValueTask> sent) : HttpContent
{
    private const int BufferSize = 128 * 1024;
    private readonly long _size = size;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var position = offset;
            var end = offset + _size;
            while (position < end)
            {
                var read = await RandomAccess.ReadAsync(
                    file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - position)), position, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("The file became shorter while it was being uploaded.");
                }
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                position += read;
                await sent(position, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _size;
        return true;
    }
}
