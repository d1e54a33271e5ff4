using System.Buffers.Binary;

namespace OpenCdn.Ingest.Packaging;

/// <summary>
/// Joins the chunks of one rendition, each an on-demand fragmented MP4 (<c>ftyp moov sidx (moof mdat)*</c>) encoded by
/// <c>LadderArguments</c> over a range of frames, into the file a single pass makes: the first chunk's init (every
/// chunk's must be byte for byte the same: same codec setup), one top-level <c>sidx</c> listing every fragment, and the
/// fragments in order with their sequence numbers renumbered and their decode times (<c>tfdt</c>) moved on by the
/// duration of the chunks before them, so the timeline runs on without gap or overlap. Fragment bytes are copied as
/// they are: the index's sizes stay true.
/// </summary>
internal static class FragmentJoiner
{
    public static async Task JoinAsync(IReadOnlyList<string> chunks, string output, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
        {
            throw new ArgumentException("No chunks to join.", nameof(chunks));
        }
        var layouts = chunks.Select(ChunkLayout.Read).ToList();
        var first = layouts[0];
        for (var i = 1; i < layouts.Count; i++)
        {
            if (!layouts[i].Init.AsSpan().SequenceEqual(first.Init) || layouts[i].Timescale != first.Timescale)
            {
                throw new InvalidDataException(
                    $"Chunk {i} of {Path.GetFileName(output)} has another codec setup than chunk 0; the chunks cannot be joined.");
            }
        }
        var references = layouts.SelectMany(l => l.References).ToList();
        if (references.Count > ushort.MaxValue)
        {
            throw new InvalidDataException($"{Path.GetFileName(output)} would have {references.Count} fragments; an index holds {ushort.MaxValue}.");
        }
        await using var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await target.WriteAsync(first.Init, cancellationToken);
        await target.WriteAsync(Sidx(first, references), cancellationToken);
        var sequence = 1u;
        var offset = 0L;
        var buffer = new byte[1 << 20];
        foreach (var (layout, path) in layouts.Zip(chunks))
        {
            await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            foreach (var box in layout.Fragments)
            {
                if (box.Type == "moof")
                {
                    var moof = new byte[box.Size];
                    source.Position = box.Offset;
                    await source.ReadExactlyAsync(moof, cancellationToken);
                    Renumber(moof, sequence++, offset - layout.FirstDecodeTime);
                    await target.WriteAsync(moof, cancellationToken);
                    continue;
                }
                source.Position = box.Offset;
                for (var left = box.Size; left > 0;)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                    if (read == 0)
                    {
                        throw new EndOfStreamException($"{path} ended inside a '{box.Type}' box.");
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    left -= read;
                }
            }
            offset += layout.References.Sum(r => (long)r.Duration);
        }
    }

    /// <summary>The joined index: the first chunk's header fields, every chunk's references in order (ISO/IEC 14496-12 8.16.3).</summary>
    private static byte[] Sidx(ChunkLayout first, List<SidxReference> references)
    {
        var size = 8 + 4 + 8 + 16 + 4 + (12 * references.Count);
        var box = new byte[size];
        var span = box.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)size);
        "sidx"u8.CopyTo(span[4..]);
        span[8] = 1; // version 1: 64-bit earliest presentation time and first offset; flags 0
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], first.ReferenceId);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], first.Timescale);
        BinaryPrimitives.WriteUInt64BigEndian(span[20..], first.EarliestPresentationTime);
        BinaryPrimitives.WriteUInt64BigEndian(span[28..], 0); // the first fragment follows the index
        BinaryPrimitives.WriteUInt16BigEndian(span[38..], (ushort)references.Count);
        var at = 40;
        foreach (var reference in references)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], reference.TypeAndSize);
            BinaryPrimitives.WriteUInt32BigEndian(span[(at + 4)..], reference.Duration);
            BinaryPrimitives.WriteUInt32BigEndian(span[(at + 8)..], reference.Sap);
            at += 12;
        }
        return box;
    }

    /// <summary>Sets the moof's sequence number and moves every track fragment's decode time by <paramref name="shift"/>.</summary>
    private static void Renumber(byte[] moof, uint sequence, long shift)
    {
        foreach (var (type, start, end) in Children(moof, 8, moof.Length))
        {
            if (type == "mfhd")
            {
                BinaryPrimitives.WriteUInt32BigEndian(moof.AsSpan(start + 12), sequence);
            }
            else if (type == "traf")
            {
                foreach (var (childType, childStart, _) in Children(moof, start + 8, end))
                {
                    if (childType != "tfdt")
                    {
                        continue;
                    }
                    var at = moof.AsSpan(childStart + 12);
                    if (moof[childStart + 8] == 1)
                    {
                        BinaryPrimitives.WriteUInt64BigEndian(at, checked((ulong)((long)BinaryPrimitives.ReadUInt64BigEndian(at) + shift)));
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(at, checked((uint)(BinaryPrimitives.ReadUInt32BigEndian(at) + shift)));
                    }
                }
            }
        }
    }

    internal static IEnumerable<(string Type, int Start, int End)> Children(byte[] data, int start, int end)
    {
        for (var at = start; at + 8 <= end;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (size < 8 || at + size > end)
            {
                throw new InvalidDataException($"A box inside a moof has an impossible size {size}.");
            }
            yield return (System.Text.Encoding.ASCII.GetString(data, at + 4, 4), at, at + size);
            at += size;
        }
    }
}
