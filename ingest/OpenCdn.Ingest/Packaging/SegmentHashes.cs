using System.Buffers.Binary;
using System.Security.Cryptography;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.Ingest.Packaging;

/// <summary>
/// The media subsegments of each representation with a top-level <c>sidx</c>, as players request them, each with its
/// SHA-256: what lets a player use bytes from another viewer only once they are known to be the origin's.
/// </summary>
internal static class SegmentHashes
{
    /// <summary>The representations with <see cref="Representation.Segments"/> filled in where they have an index range.</summary>
    public static async Task<List<Representation>> AddAsync(string folder, IReadOnlyList<Representation> representations,
        CancellationToken cancellationToken)
    {
        var result = new List<Representation>(representations.Count);
        foreach (var representation in representations)
        {
            result.Add(representation.IndexRange is { } index
                ? representation with { Segments = await HashAsync(Path.Combine(folder, representation.File), index, cancellationToken) }
                : representation);
        }
        return result;
    }

    /// <summary>Reads the sidx at <paramref name="index"/> and hashes every range it references (ISO/IEC 14496-12 8.16.3).</summary>
    public static async Task<IReadOnlyList<SegmentHash>> HashAsync(string path, ByteSpan index, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var ranges = Ranges(file, index);
        var hashes = new List<SegmentHash>(ranges.Count);
        var buffer = new byte[ranges.Count == 0 ? 0 : ranges.Max(r => r.Last - r.First + 1)];
        foreach (var range in ranges)
        {
            var length = (int)(range.Last - range.First + 1);
            file.Position = range.First;
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            hashes.Add(new SegmentHash(range, Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length)))));
        }
        return hashes;
    }

    private static List<ByteSpan> Ranges(FileStream file, ByteSpan index)
    {
        var box = Mp4Box.ReadChildren(file, index.First, index.Last + 1).Single(b => b.Type == "sidx");
        var payload = box.ReadPayload(file).AsSpan();
        var version = payload[0];
        // version+flags, reference_ID, timescale; then earliest_presentation_time and first_offset (32 or 64 bits each).
        var at = 12;
        var firstOffset = version == 0
            ? BinaryPrimitives.ReadUInt32BigEndian(payload[(at + 4)..])
            : (long)BinaryPrimitives.ReadUInt64BigEndian(payload[(at + 8)..]);
        at += version == 0 ? 8 : 16;
        var count = BinaryPrimitives.ReadUInt16BigEndian(payload[(at + 2)..]);
        at += 4;
        var start = box.End + firstOffset;
        var ranges = new List<ByteSpan>(count);
        for (var i = 0; i < count; i++, at += 12)
        {
            var reference = BinaryPrimitives.ReadUInt32BigEndian(payload[at..]);
            if ((reference & 0x8000_0000) != 0)
            {
                throw new InvalidDataException($"{file.Name}: the sidx references another sidx; a single-level index is expected.");
            }
            var size = reference & 0x7FFF_FFFF;
            if (size == 0 || start + size > file.Length)
            {
                throw new InvalidDataException($"{file.Name}: sidx reference {i} of {size} bytes runs past the end of the file.");
            }
            ranges.Add(new ByteSpan(start, start + size - 1));
            start += size;
        }
        return ranges;
    }
}
