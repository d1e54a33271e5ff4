namespace OpenCdn.Platform.Storage;

/// <summary>An inclusive byte range, as in an HTTP <c>Range: bytes=From-To</c> header. A null <see cref="To"/> means "to the end".</summary>
public readonly record struct ByteRange(long From, long? To)
{
    /// <summary>Clamps the range to an object of <paramref name="size"/> bytes; null when it starts past the end.</summary>
    public ByteRange? ClampTo(long size)
    {
        if (From < 0 || From >= size || (To is { } to && to < From))
        {
            return null;
        }
        return new ByteRange(From, Math.Min(To ?? size - 1, size - 1));
    }

    public long Length => To is { } to ? to - From + 1 : throw new InvalidOperationException("An open range has no length until clamped.");
}
