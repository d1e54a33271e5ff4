namespace OpenCdn.Edge.Content;

/// <summary>How a verified file is written down in <c>catalog.json</c>.</summary>
internal sealed record CatalogEntry(string TitleId, int Version, string File, long Size, string Sha256, DateTimeOffset VerifiedAt);
