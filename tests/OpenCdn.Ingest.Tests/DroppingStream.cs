namespace OpenCdn.Ingest.Tests;

/// <summary>A request body that fails after <c>dropAfter</c> bytes, as a network drop would.</summary>
internal sealed class DroppingStream(byte[] data, int dropAfter) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= dropAfter)
        {
            throw new IOException("network dropped");
        }
        var n = Math.Min(Math.Min(count, 64 * 1024), dropAfter - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
