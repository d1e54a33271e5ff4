using System.Buffers;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Ciphertext a socket did not take at once, in order, in one pooled buffer grown as needed; none is held while nothing
/// waits. Not thread-safe: <see cref="TlsSession"/> uses it under its lock.
/// </summary>
internal sealed class PendingCiphertext
{
    private byte[]? _buffer;

    public int Length { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_buffer is null || _buffer.Length - Length < bytes.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Length + bytes.Length);
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, Length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = grown;
        }
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Everything waiting, in a pooled buffer the caller returns; the queue is empty after.</summary>
    public (byte[] Buffer, int Length) Take()
    {
        var taken = (_buffer!, Length);
        (_buffer, Length) = (null, 0);
        return taken;
    }

    /// <summary>Drops what waits (the connection ended) and returns the buffer.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            (_buffer, Length) = (null, 0);
        }
    }
}
