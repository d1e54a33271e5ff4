namespace OpenCdn.Catalog.Popularity;

/// <summary>A title's decayed play count in one region; the empty region is the global count.</summary>
public readonly record struct PopularityScore(string Region, string TitleId, double Score)
{
    public const string Global = "";
}
