using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// An edge's reported inventory compiled against the catalog of the moment: one bit per title index, set when the edge
/// holds the version that was current then. "Does it hold version v of title t" is one word read (plus the catalog's
/// version at compile time), so a decision touching a dozen edges stays in cache. Versions that were not current when
/// compiled (and titles the catalog did not know, and items without a title) are left out; the edge's next heartbeat recompiles.
/// </summary>
internal sealed class EdgeInventory
{
    private readonly ulong[] _bits;
    private readonly CatalogIndex _catalog;

    private EdgeInventory(ulong[] bits, CatalogIndex catalog, int count)
    {
        _bits = bits;
        _catalog = catalog;
        Count = count;
    }

    public static EdgeInventory Empty { get; } = new([], CatalogIndex.Empty, 0);

    /// <summary>Packages held that were current when compiled.</summary>
    public int Count { get; }

    public static EdgeInventory Compile(IReadOnlyList<InventoryItem> items, CatalogIndex catalog)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(catalog);
        var bits = new ulong[(catalog.Indices.Count + 63) >> 6];
        var count = 0;
        foreach (var item in items)
        {
            if (item?.TitleId is { } titleId && catalog.Indices.TryGetValue(titleId, out var index) && catalog.VersionAt(index) == item.Version
                && (bits[index >> 6] & (1UL << index)) == 0)
            {
                bits[index >> 6] |= 1UL << index;
                count++;
            }
        }
        return new EdgeInventory(bits, catalog, count);
    }

    /// <summary>ORs this inventory's bits into <paramref name="union"/>, growing it when shorter; returns the union.</summary>
    public ulong[] OrInto(ulong[] union)
    {
        ArgumentNullException.ThrowIfNull(union);
        if (union.Length < _bits.Length)
        {
            Array.Resize(ref union, _bits.Length);
        }
        for (var i = 0; i < _bits.Length; i++)
        {
            union[i] |= _bits[i];
        }
        return union;
    }

    /// <summary>Whether the edge holds <paramref name="version"/> of the title at <paramref name="titleIndex"/>.</summary>
    public bool Holds(int titleIndex, int version) =>
        (uint)(titleIndex >> 6) < (uint)_bits.Length
        && (_bits[titleIndex >> 6] & (1UL << titleIndex)) != 0
        && _catalog.VersionAt(titleIndex) == version;
}
