namespace OpenCdn.Ingest.Probe;

/// <summary>What the ladder needs to know of a master, as displayed (rotation applied).</summary>
internal sealed record MasterInfo(
    TimeSpan Duration, int Width, int Height, double FrameRate, bool HasAudio, PictureInfo Picture);
