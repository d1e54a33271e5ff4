namespace OpenCdn.Steering.Popularity;

/// <summary>A title's decayed play count in one region; the region <see cref="Global"/> counts plays anywhere.</summary>
internal readonly record struct PopularityCount(string Region, string TitleId, double Score)
{
    public const string Global = "";
}
