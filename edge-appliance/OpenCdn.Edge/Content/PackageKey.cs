namespace OpenCdn.Edge.Content;

/// <summary>One version of one title's package.</summary>
internal readonly record struct PackageKey(string TitleId, int Version);
