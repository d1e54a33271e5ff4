using System.Collections.Frozen;

namespace OpenCdn.Steering.Fleet;

/// <summary>
/// The catalog in a snapshot: every title id ever seen keeps one index for the life of the process (inventories are
/// compiled against it); <see cref="Current"/> holds the ready titles, retired ones are gone from it.
/// </summary>
internal sealed class CatalogIndex
{
    private readonly int[] _versions;

    internal CatalogIndex(FrozenDictionary<string, int> indices, int[] versions, CatalogTitle?[] byIndex, CatalogTitle[] current)
    {
        Indices = indices;
        _versions = versions;
        ByIndex = byIndex;
        Current = current;
    }

    public static CatalogIndex Empty { get; } = new(FrozenDictionary<string, int>.Empty, [], [], []);

    public FrozenDictionary<string, int> Indices { get; }

    /// <summary>Per stable index, the current title, or null once retired.</summary>
    public CatalogTitle?[] ByIndex { get; }

    public CatalogTitle[] Current { get; }

    /// <summary>The stable index and current version of a ready title; false for unknown or retired ids.</summary>
    public bool TryGetCurrent(string titleId, out int index, out int version)
    {
        version = 0;
        if (Indices.TryGetValue(titleId, out index) && index < _versions.Length)
        {
            version = _versions[index];
        }
        return version > 0;
    }

    public int VersionAt(int index) => index < _versions.Length ? _versions[index] : 0;
}
