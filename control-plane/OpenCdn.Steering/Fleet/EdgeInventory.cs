using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// An edge's reported inventory compiled against the catalog's stable title indices: sorted indices with their versions,
/// so "does it hold version v of title t" is a binary search with no string hashing.
/// </summary>
internal sealed class EdgeInventory
{
    private readonly int[] _titles;
    private readonly int[] _versions;

    private EdgeInventory(int[] titles, int[] versions)
    {
        _titles = titles;
        _versions = versions;
    }

    public static EdgeInventory Empty { get; } = new([], []);

    public int Count => _titles.Length;

    /// <summary>Compiles <paramref name="items"/>; titles the catalog does not know are left out.</summary>
    public static EdgeInventory Compile(IReadOnlyList<InventoryItem> items, IReadOnlyDictionary<string, int> titleIndex)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(titleIndex);
        var titles = new int[items.Count];
        var versions = new int[items.Count];
        var count = 0;
        foreach (var item in items)
        {
            if (titleIndex.TryGetValue(item.TitleId, out var index))
            {
                titles[count] = index;
                versions[count++] = item.Version;
            }
        }
        Array.Sort(titles, versions, 0, count);
        return count == titles.Length ? new EdgeInventory(titles, versions) : new EdgeInventory(titles[..count], versions[..count]);
    }

    /// <summary>The version held of the title at <paramref name="titleIndex"/>, or 0 for none.</summary>
    public int VersionOf(int titleIndex)
    {
        var at = Array.BinarySearch(_titles, titleIndex);
        return at >= 0 ? _versions[at] : 0;
    }

    public IEnumerable<(int TitleIndex, int Version)> Items()
    {
        for (var i = 0; i < _titles.Length; i++)
        {
            yield return (_titles[i], _versions[i]);
        }
    }
}
