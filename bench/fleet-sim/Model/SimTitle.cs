using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.FleetSim.Model;

/// <summary>
/// One title of the synthetic catalog: its package (every rung, sizes from the ladder), its place in the popularity
/// law, the taste region it is made for (-1: everywhere), and when it enters and leaves the catalog.
/// </summary>
internal sealed class SimTitle
{
    public SimTitle(int index, int seconds, double baseWeight, int homeRegion, DateTimeOffset launchedAt, double launchWeight)
    {
        Index = index;
        Id = $"t{index:D6}";
        Seconds = seconds;
        BaseWeight = baseWeight;
        HomeRegion = homeRegion;
        LaunchedAt = launchedAt;
        LaunchWeight = launchWeight;
        var files = new List<FillFile>(Ladder.Rungs + 1);
        for (var r = 0; r < Ladder.Rungs; r++)
        {
            files.Add(new FillFile($"video_{Ladder.Heights[r]}p.mp4", Ladder.FileBytes(Ladder.VideoKbps[r], seconds), ""));
        }
        files.Add(new FillFile("audio_und.mp4", Ladder.FileBytes(Ladder.AudioKbps, seconds), ""));
        Catalog = new CatalogTitle(Id, 1, files, launchedAt);
        SizeBytes = Catalog.SizeBytes;
    }

    public int Index { get; }

    public string Id { get; }

    public int Seconds { get; }

    public long SizeBytes { get; }

    /// <summary>Weight from its Zipf rank, times the day's churn factor (changed daily).</summary>
    public double BaseWeight { get; set; }

    public int HomeRegion { get; }

    public DateTimeOffset LaunchedAt { get; }

    /// <summary>Extra weight on launch day, halving every <see cref="CatalogModel.LaunchHalfLifeDays"/> days.</summary>
    public double LaunchWeight { get; }

    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>The entry the control plane's catalog would hold (ready at launch, no per-title boost).</summary>
    public CatalogTitle Catalog { get; }

    public static int IndexOf(string titleId) => int.Parse(titleId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    public bool InCatalog(DateTimeOffset at) => LaunchedAt <= at && (RetiredAt is not { } gone || at < gone);
}
