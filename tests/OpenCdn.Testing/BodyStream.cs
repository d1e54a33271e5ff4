namespace OpenCdn.Testing;

/// <summary>
/// A request or upload body as the network delivers one: read-only, not seekable, in small uneven chunks, and
/// (optionally) failing after <c>failAfter</c> bytes as a dropped connection would.
/// </summary>
public sealed class BodyStream(byte[] data, int? failAfter = null, int chunkSize = 7_919) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var end = failAfter ?? data.Length;
        if (_position >= end && failAfter is not null)
        {
            throw new IOException("The connection dropped.");
        }
        var n = Math.Min(Math.Min(count, chunkSize), end - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
