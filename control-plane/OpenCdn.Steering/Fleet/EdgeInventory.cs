using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// An edge's reported inventory compiled against the catalog of the moment: one bit per title index, set when the edge
/// holds the version that was current then. "Does it hold version v of title t" is one word read (plus the catalog's
/// version at compile time), so a decision touching a dozen edges stays in cache. Versions that were not current when
/// compiled (and titles the catalog did not know, and items without a title) are left out; the edge's next heartbeat recompiles.
/// The items compiled are kept, with the index each resolved to, so that the next heartbeat's compile looks up only what changed.
/// </summary>
internal sealed class EdgeInventory
{
    private readonly ulong[] _bits;
    private readonly CatalogIndex _catalog;
    private readonly IReadOnlyList<InventoryItem> _items;
    private readonly int[] _indices;

    private EdgeInventory(ulong[] bits, CatalogIndex catalog, int count, IReadOnlyList<InventoryItem> items, int[] indices)
    {
        _bits = bits;
        _catalog = catalog;
        Count = count;
        _items = items;
        _indices = indices;
    }

    public static EdgeInventory Empty { get; } = new([], CatalogIndex.Empty, 0, [], []);

    /// <summary>Packages held that were current when compiled.</summary>
    public int Count { get; }

    /// <summary>
    /// Compiles <paramref name="items"/> against <paramref name="catalog"/>, keeping the list (the caller hands it over
    /// and no longer changes it, as a deserialized heartbeat is). Given the edge's <paramref name="previous"/> inventory
    /// (compiled against the same catalog), an item equal to the one at the same place in the previous list takes its
    /// catalog index from there instead of a lookup (an edge's inventory changes a little between heartbeats), and a
    /// list equal to the previous one returns the previous inventory itself. The result is the same either way.
    /// </summary>
    public static EdgeInventory Compile(IReadOnlyList<InventoryItem> items, CatalogIndex catalog, EdgeInventory? previous = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(catalog);
        var last = previous is not null && ReferenceEquals(previous._catalog, catalog) ? previous : Empty;
        var lastItems = last._items;
        if (last != Empty && SameItems(items, lastItems))
        {
            return last; // most heartbeats: nothing arrived or left since the last one
        }
        var bits = new ulong[(catalog.Indices.Count + 63) >> 6];
        var indices = new int[items.Count];
        var count = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var item = items[i];
            var index = i < lastItems.Count && lastItems[i] == item
                ? last._indices[i]
                : item?.TitleId is { } titleId && catalog.Indices.TryGetValue(titleId, out var at) && catalog.VersionAt(at) == item.Version
                    ? at
                    : -1;
            indices[i] = index;
            if (index >= 0 && (bits[index >> 6] & (1UL << index)) == 0)
            {
                bits[index >> 6] |= 1UL << index;
                count++;
            }
        }
        return new EdgeInventory(bits, catalog, count, items, indices);
    }

    private static bool SameItems(IReadOnlyList<InventoryItem> items, IReadOnlyList<InventoryItem> last)
    {
        if (ReferenceEquals(items, last))
        {
            return true;
        }
        if (items.Count != last.Count)
        {
            return false;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] != last[i])
            {
                return false;
            }
        }
        return true;
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
