namespace OpenCdn.Steering.Popularity;

/// <summary>One playback decision waiting to be counted; holds only references the decision already had.</summary>
internal readonly record struct Play(string TitleId, string? Region, long UtcTicks);
