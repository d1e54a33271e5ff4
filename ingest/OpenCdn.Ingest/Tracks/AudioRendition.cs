namespace OpenCdn.Ingest.Tracks;

/// <summary>
/// One audio file of the package: a stereo (or 5.1) AAC-LC encode of the master's audio stream <see cref="Ordinal"/>.
/// Renditions of one stream share <see cref="Label"/>, which is what puts them in one AdaptationSet.
/// </summary>
internal sealed record AudioRendition(string Id, int Ordinal, int Channels, int Kbps, string Language, string Role, string Label)
{
    public string FileName => Id + ".mp4";
}
