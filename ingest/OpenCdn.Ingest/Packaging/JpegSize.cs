using System.Buffers.Binary;

namespace OpenCdn.Ingest.Packaging;

/// <summary>Reads a JPEG's picture size from its start-of-frame header, as written (not as asked for).</summary>
internal static class JpegSize
{
    public static (int Width, int Height) Read(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> marker = stackalloc byte[4];
        Span<byte> frame = stackalloc byte[5];
        if (file.ReadAtLeast(marker[..2], 2, throwOnEndOfStream: false) < 2 || marker[0] != 0xFF || marker[1] != 0xD8)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a JPEG file.");
        }
        while (file.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4 && marker[0] == 0xFF)
        {
            var type = marker[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC): precision (1 byte), height, width (2 bytes each).
            if (type is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                file.ReadExactly(frame);
                return (BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]));
            }
            if (type == 0xDA || length < 2)
            {
                break; // the scan starts (or the header is broken) before any frame header
            }
            file.Seek(length - 2, SeekOrigin.Current);
        }
        throw new InvalidDataException($"{Path.GetFileName(path)} has no JPEG frame header.");
    }
}
