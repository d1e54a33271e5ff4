using System.Buffers.Binary;

namespace OpenCdn.Ingest.Packaging;

/// <summary>An ISO BMFF box: its four-character type, where it starts in the file, and its total size (header included).</summary>
internal readonly record struct Mp4Box(string Type, long Offset, long Size, int HeaderSize)
{
    public long End => Offset + Size;

    /// <summary>The boxes directly inside [<paramref name="start"/>, <paramref name="end"/>) of the stream.</summary>
    public static List<Mp4Box> ReadChildren(Stream file, long start, long end)
    {
        var boxes = new List<Mp4Box>();
        Span<byte> header = stackalloc byte[16];
        for (var at = start; at + 8 <= end;)
        {
            file.Position = at;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header[4..8]);
            var headerSize = 8;
            if (size == 1)
            {
                file.ReadExactly(header[8..16]);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = end - at;
            }
            if (size < headerSize || at + size > end)
            {
                throw new InvalidDataException($"Box '{type}' at {at} has an impossible size {size}.");
            }
            boxes.Add(new Mp4Box(type, at, size, headerSize));
            at += size;
        }
        return boxes;
    }

    /// <summary>Follows a path of box types from the top level (e.g. moov/trak/mdia/mdhd); null if any step is missing.</summary>
    public static Mp4Box? Find(Stream file, params string[] path)
    {
        Mp4Box? current = null;
        foreach (var type in path)
        {
            var children = current is { } parent
                ? ReadChildren(file, parent.Offset + parent.HeaderSize + SkipOf(parent.Type), parent.End)
                : ReadChildren(file, 0, file.Length);
            current = children.Cast<Mp4Box?>().FirstOrDefault(b => b!.Value.Type == type);
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    public byte[] ReadPayload(Stream file)
    {
        var payload = new byte[Size - HeaderSize];
        file.Position = Offset + HeaderSize;
        file.ReadExactly(payload);
        return payload;
    }

    /// <summary>Bytes between a container's header and its first child: stsd's entry count; a visual sample entry's 78 fixed bytes.</summary>
    private static int SkipOf(string type) => type switch
    {
        "stsd" => 8,
        "avc1" or "avc3" or "av01" => 78,
        "mp4a" => 28,
        _ => 0,
    };
}
