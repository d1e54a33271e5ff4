namespace OpenCdn.Edge.Content;

/// <summary>One file of one package version: <c>titles/{TitleId}/v{Version}/{File}</c>.</summary>
internal readonly record struct ContentKey(string TitleId, int Version, string File)
{
    public bool IsValid => ContentNames.IsTitleId(TitleId) && ContentNames.IsVersion(Version) && ContentNames.IsFileName(File);

    public PackageKey Package => new(TitleId, Version);

    /// <summary>The path below a root; only call on a valid key.</summary>
    public string PathUnder(string root) =>
        Path.Combine(root, TitleId, "v" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture), File);
}
