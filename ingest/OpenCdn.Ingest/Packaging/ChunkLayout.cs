using System.Buffers.Binary;

namespace OpenCdn.Ingest.Packaging;

/// <summary>
/// One chunk of a rendition as <see cref="FragmentJoiner"/> needs it: the init bytes (ftyp + moov), the fields and
/// references of its top-level sidx, the boxes after the sidx, and the decode time of its first fragment.
/// </summary>
internal sealed record ChunkLayout(
    byte[] Init, uint ReferenceId, uint Timescale, ulong EarliestPresentationTime, IReadOnlyList<SidxReference> References,
    IReadOnlyList<Mp4Box> Fragments, long FirstDecodeTime)
{
    public static ChunkLayout Read(string path)
    {
        using var file = File.OpenRead(path);
        var top = Mp4Box.ReadChildren(file, 0, file.Length);
        var moov = top.FindIndex(b => b.Type == "moov");
        if (moov < 0 || moov + 1 >= top.Count || top[moov + 1].Type != "sidx")
        {
            throw new InvalidDataException($"{path} is not an on-demand fragmented MP4 (ftyp, moov, sidx at the top).");
        }
        var init = new byte[top[moov].End];
        file.Position = 0;
        file.ReadExactly(init);
        var sidx = top[moov + 1].ReadPayload(file).AsSpan();
        var version = sidx[0];
        var referenceId = BinaryPrimitives.ReadUInt32BigEndian(sidx[4..]);
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(sidx[8..]);
        var earliest = version == 0 ? BinaryPrimitives.ReadUInt32BigEndian(sidx[12..]) : BinaryPrimitives.ReadUInt64BigEndian(sidx[12..]);
        var firstOffset = version == 0 ? BinaryPrimitives.ReadUInt32BigEndian(sidx[16..]) : BinaryPrimitives.ReadUInt64BigEndian(sidx[20..]);
        var at = version == 0 ? 20 : 28;
        var count = BinaryPrimitives.ReadUInt16BigEndian(sidx[(at + 2)..]);
        at += 4;
        var references = new List<SidxReference>(count);
        for (var i = 0; i < count; i++, at += 12)
        {
            references.Add(new SidxReference(
                BinaryPrimitives.ReadUInt32BigEndian(sidx[at..]), BinaryPrimitives.ReadUInt32BigEndian(sidx[(at + 4)..]),
                BinaryPrimitives.ReadUInt32BigEndian(sidx[(at + 8)..])));
        }
        var fragments = top.Skip(moov + 2).ToList();
        if (firstOffset != 0 || references.Any(r => (r.TypeAndSize & 0x8000_0000) != 0)
            || fragments.Sum(f => f.Size) != references.Sum(r => (long)(r.TypeAndSize & 0x7FFF_FFFF)))
        {
            throw new InvalidDataException($"{path}: the sidx does not index the fragments that follow it, one level, back to back.");
        }
        var tfdt = fragments.Count > 0 && fragments[0].Type == "moof" ? Mp4Box.Find(file, "moof", "traf", "tfdt") : null;
        var firstDecodeTime = 0L;
        if (tfdt is { } box)
        {
            var payload = box.ReadPayload(file);
            firstDecodeTime = payload[0] == 1
                ? (long)BinaryPrimitives.ReadUInt64BigEndian(payload.AsSpan(4))
                : BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
        }
        return new ChunkLayout(init, referenceId, timescale, earliest, references, fragments, firstDecodeTime);
    }
}
