namespace OpenCdn.Contracts.Packages;

/// <summary>
/// Where things live in origin storage (a folder in embedded mode, a bucket in the cloud): the one place these object
/// keys are spelled. A master is <c>masters/{titleId}/{file}</c>; a package's files, its <c>package.json</c> among them,
/// are <c>titles/{titleId}/v{version}/{file}</c>.
/// </summary>
public static class OriginKeys
{
    public static string Master(string titleId, string fileName) => $"masters/{titleId}/{fileName}";

    public static string PackageFile(string titleId, int version, string fileName) => $"titles/{titleId}/v{version}/{fileName}";

    public static string Manifest(string titleId, int version) => PackageFile(titleId, version, PackageManifest.FileName);

    /// <summary>
    /// Where a chunked encode keeps one part's output until assembly (<c>chunks/{titleId}/v{version}/{part}/{file}</c>);
    /// the whole <see cref="ChunkPrefix"/> is deleted once the package is published.
    /// </summary>
    public static string ChunkFile(string titleId, int version, string part, string fileName) => $"{ChunkPrefix(titleId, version)}{part}/{fileName}";

    public static string ChunkPrefix(string titleId, int version) => $"chunks/{titleId}/v{version}/";

    /// <summary>The ladder of a chunked encode (<see cref="Jobs.ChunkLadder"/>), beside its parts' outputs.</summary>
    public static string ChunkLadder(string titleId, int version) => $"{ChunkPrefix(titleId, version)}ladder.json";

    /// <summary>Everything origin holds for a title: its masters and every version of its package.</summary>
    public static IReadOnlyList<string> TitlePrefixes(string titleId) => [$"titles/{titleId}/", $"masters/{titleId}/", $"chunks/{titleId}/"];
}
