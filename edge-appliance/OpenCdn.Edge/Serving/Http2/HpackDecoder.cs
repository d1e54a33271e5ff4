using System.Buffers;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// One connection's HPACK decoder (RFC 7541): the static table, a dynamic table of at most <see cref="TableSize"/>
/// bytes (the default the edge announces), integers and strings, raw or Huffman-coded. Every field of a header block goes
/// to a <see cref="Http2RequestHead"/>; a block that breaks the format is a compression error, which ends the
/// connection (the table's state is lost with it).
/// </summary>
internal sealed class HpackDecoder
{
    public const int TableSize = 4096;
    private const int EntryOverhead = 32;
    private const int MaxInteger = 1 << 24;

    private readonly List<(byte[] Name, byte[] Value)> _table = []; // the oldest first
    private int _size;
    private int _maxSize = TableSize;

    /// <summary>Decodes <paramref name="block"/> into <paramref name="head"/>; false on a compression error.</summary>
    public bool Decode(ReadOnlySpan<byte> block, Http2RequestHead head)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(Huffman.MaxDecodedLength(block.Length) + 2);
        try
        {
            return Decode(block, head, scratch);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private bool Decode(ReadOnlySpan<byte> block, Http2RequestHead head, byte[] scratch)
    {
        var fields = 0;
        while (!block.IsEmpty)
        {
            var first = block[0];
            if ((first & 0x80) != 0) // indexed field
            {
                if (!TryInteger(ref block, 7, out var index) || !TryEntry(index, out var name, out var value))
                {
                    return false;
                }
                head.Add(name, value);
            }
            else if ((first & 0xe0) == 0x20) // dynamic table size update: only before the block's first field
            {
                if (fields > 0 || !TryInteger(ref block, 5, out var size) || size > TableSize)
                {
                    return false;
                }
                _maxSize = size;
                Evict(0);
                continue;
            }
            else // a literal: with incremental indexing (01), without (0000) or never indexed (0001)
            {
                var indexing = (first & 0x40) != 0;
                if (!TryInteger(ref block, indexing ? 6 : 4, out var index))
                {
                    return false;
                }
                ReadOnlySpan<byte> name;
                var used = 0;
                if (index == 0)
                {
                    if (!TryString(ref block, scratch, out used))
                    {
                        return false;
                    }
                    name = scratch.AsSpan(0, used);
                }
                else if (!TryEntry(index, out name, out _))
                {
                    return false;
                }
                if (!TryString(ref block, scratch.AsSpan(used), out var valueLength))
                {
                    return false;
                }
                var value = scratch.AsSpan(used, valueLength);
                head.Add(name, value);
                if (indexing)
                {
                    Insert(name, value);
                }
            }
            fields++;
        }
        return true;
    }

    private bool TryEntry(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var dynamic = index - HpackStaticTable.Count - 1;
        var found = index >= 1 && index <= HpackStaticTable.Count ? HpackStaticTable.Entry(index)
            : dynamic >= 0 && dynamic < _table.Count ? _table[_table.Count - 1 - dynamic]
            : default;
        name = found.Name;
        value = found.Value;
        return found.Name is not null;
    }

    private void Insert(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var size = name.Length + value.Length + EntryOverhead;
        Evict(size);
        if (size <= _maxSize)
        {
            _table.Add((name.ToArray(), value.ToArray()));
            _size += size;
        }
    }

    /// <summary>Drops the oldest entries until <paramref name="room"/> more bytes fit (all of them if it never will).</summary>
    private void Evict(int room)
    {
        var drop = 0;
        while (drop < _table.Count && _size + room > _maxSize)
        {
            _size -= _table[drop].Name.Length + _table[drop].Value.Length + EntryOverhead;
            drop++;
        }
        _table.RemoveRange(0, drop);
    }

    /// <summary>An integer with an N-bit prefix (RFC 7541 §5.1), bounded far below overflow.</summary>
    private static bool TryInteger(ref ReadOnlySpan<byte> block, int prefixBits, out int value)
    {
        var mask = (1 << prefixBits) - 1;
        value = block[0] & mask;
        block = block[1..];
        if (value < mask)
        {
            return true;
        }
        for (var shift = 0; shift <= 21; shift += 7)
        {
            if (block.IsEmpty)
            {
                return false;
            }
            var b = block[0];
            block = block[1..];
            value += (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value <= MaxInteger;
            }
        }
        return false;
    }

    /// <summary>A string literal (RFC 7541 §5.2) decoded into <paramref name="into"/>.</summary>
    private static bool TryString(ref ReadOnlySpan<byte> block, Span<byte> into, out int length)
    {
        length = 0;
        if (block.IsEmpty)
        {
            return false;
        }
        var huffman = (block[0] & 0x80) != 0;
        if (!TryInteger(ref block, 7, out var encoded) || encoded > block.Length)
        {
            return false;
        }
        var bytes = block[..encoded];
        block = block[encoded..];
        if (!huffman)
        {
            if (bytes.Length > into.Length)
            {
                return false;
            }
            bytes.CopyTo(into);
            length = bytes.Length;
            return true;
        }
        length = Huffman.Decode(bytes, into);
        return length >= 0;
    }
}
