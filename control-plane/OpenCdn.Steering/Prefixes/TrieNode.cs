namespace OpenCdn.Steering.Prefixes;

/// <summary>
/// One node of the path-compressed trie: the bits <see cref="Key"/>[0..<see cref="Length"/>) shared by everything
/// below it, the prefix id stored here (-1 for a pure branch) and the children chosen by bit <see cref="Length"/>.
/// </summary>
internal struct TrieNode
{
    public UInt128 Key;
    public int Zero;
    public int One;
    public int PrefixId;
    public int Length;

    public TrieNode(UInt128 key, int length, int prefixId)
    {
        Key = key;
        Length = length;
        PrefixId = prefixId;
        Zero = -1;
        One = -1;
    }

    public readonly int Child(int bit) => bit == 0 ? Zero : One;

    public void SetChild(int bit, int node)
    {
        if (bit == 0)
        {
            Zero = node;
        }
        else
        {
            One = node;
        }
    }
}
