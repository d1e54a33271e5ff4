namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// HPACK's Huffman code (RFC 7541 §5.2, Appendix B), decoding only: the edge sends its own strings raw. The code is
/// canonical — codes of one length are consecutive, in symbol order, after the shorter ones — so the table is just each
/// symbol's code length, and a code is told apart by its value against the first code of its length.
/// </summary>
internal static class Huffman
{
    private const int Eos = 256;
    private const int MaxCodeBits = 30;

    /// <summary>Code lengths of symbols 0–255 and EOS (256), from RFC 7541 Appendix B.</summary>
    private static ReadOnlySpan<byte> CodeLengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    private static readonly int[] s_first = new int[MaxCodeBits + 1];
    private static readonly int[] s_count = new int[MaxCodeBits + 1];
    private static readonly int[] s_offset = new int[MaxCodeBits + 1];
    private static readonly short[] s_symbols = BuildSymbols();

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="into"/>: the count of bytes, or -1 (a bad code, EOS, bad padding).</summary>
    public static int Decode(ReadOnlySpan<byte> encoded, Span<byte> into)
    {
        int code = 0, bits = 0, written = 0;
        foreach (var b in encoded)
        {
            for (var shift = 7; shift >= 0; shift--)
            {
                code = (code << 1) | ((b >> shift) & 1);
                bits++;
                var index = code - s_first[bits];
                if ((uint)index < (uint)s_count[bits])
                {
                    var symbol = s_symbols[s_offset[bits] + index];
                    if (symbol == Eos || written == into.Length)
                    {
                        return -1;
                    }
                    into[written++] = (byte)symbol;
                    (code, bits) = (0, 0);
                }
                else if (bits == MaxCodeBits)
                {
                    return -1;
                }
            }
        }
        // Padding: fewer than 8 bits, all ones (the start of EOS).
        return bits < 8 && code == (1 << bits) - 1 ? written : -1;
    }

    /// <summary>The most bytes <paramref name="encodedLength"/> Huffman-coded bytes decode to (the shortest code is 5 bits).</summary>
    public static int MaxDecodedLength(int encodedLength) => (encodedLength * 8 / 5) + 1;

    private static short[] BuildSymbols()
    {
        var lengths = CodeLengths;
        foreach (var length in lengths)
        {
            s_count[length]++;
        }
        var code = 0;
        for (var bits = 1; bits <= MaxCodeBits; bits++)
        {
            code = (code + s_count[bits - 1]) << 1;
            s_first[bits] = code;
            s_offset[bits] = s_offset[bits - 1] + s_count[bits - 1];
        }
        var symbols = new short[lengths.Length];
        var next = (int[])s_offset.Clone();
        for (short symbol = 0; symbol < lengths.Length; symbol++)
        {
            symbols[next[lengths[symbol]]++] = symbol;
        }
        return symbols;
    }
}
