namespace OpenCdn.Contracts.Api;

/// <summary>The answer of <c>PUT /api/v1/titles/{id}/subtitles/{language}</c>: the package version that now holds them.</summary>
public sealed record SubtitlesPublished(string TitleId, string Language, int PackageVersion, int Cues);
